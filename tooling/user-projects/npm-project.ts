import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The environment without what pnpm sets for its scripts: `npm_config_local_prefix` would point npm at this repository. */
export const userEnvironment: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)),
)

/** `npm install <specs>` in `dir`, as a user runs it (tarballs or registry names). */
export function npmInstall(dir: string, specs: readonly string[], flags: readonly string[] = []): void {
  if (specs.length === 0) return
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...flags, ...specs], {
    cwd: dir,
    stdio: 'pipe',
    env: userEnvironment,
  })
}

/** A new Node project in `dir`: a bare package.json, then `npm install` and `npm install --save-dev`. */
export function createNpmProject(
  dir: string,
  { dependencies = [], devDependencies = [] }: { dependencies?: readonly string[]; devDependencies?: readonly string[] },
): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true }))
  npmInstall(dir, dependencies)
  npmInstall(dir, devDependencies, ['--save-dev'])
  return dir
}

/** The packages in `dir/node_modules` (scoped ones as `@scope/name`). */
export function installedPackages(dir: string): string[] {
  const modules = path.join(dir, 'node_modules')
  return readdirSync(modules).flatMap((entry) =>
    entry.startsWith('@')
      ? readdirSync(path.join(modules, entry)).map((scoped) => `${entry}/${scoped}`)
      : entry.startsWith('.')
        ? []
        : [entry],
  )
}
