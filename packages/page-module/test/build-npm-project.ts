import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const repositoryRoot = path.resolve(import.meta.dirname, '../../..')
export const packageDir = path.resolve(import.meta.dirname, '..')
export const exampleDir = path.join(repositoryRoot, 'examples/miniprogram')

/** Where `npm install page-module` would leave a package.json: the app's, and the scene module's. */
export const placements = ['miniprogram', 'miniprogram/page_module/sign-in'] as const

/** Fails with what to do when the build the test reads is missing. */
export function assertBuilt(): void {
  for (const file of ['dist/miniprogram/index.js', 'dist/node/index.cjs']) {
    if (!existsSync(path.join(packageDir, file)))
      throw new Error(`packages/page-module/${file} is missing: run \`pnpm build\` first (the verify script does)`)
  }
}

/**
 * Packs the packages a user's `npm install page-module` brings in, as they would be published: `pnpm pack` rewrites
 * `workspace:` ranges. Returns the tarballs.
 */
export function packPublishedPackages(destination: string): string[] {
  const pnpm = process.env.npm_execpath
  if (!pnpm || !/pnpm/.test(pnpm))
    throw new Error('run the tests through pnpm (`pnpm verify` or `pnpm test`): they pack the packages with `pnpm pack`')
  for (const folder of ['core', 'wechat', 'page-module-node', 'page-module']) {
    execFileSync(process.execPath, [pnpm, 'pack', '--pack-destination', destination], {
      cwd: path.join(repositoryRoot, 'packages', folder),
      stdio: 'pipe',
    })
  }
  return readdirSync(destination)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => path.join(destination, file))
}

/** Copies examples/miniprogram to `projectDir`, leaving out anything a local install or build left in it. */
export function copyExample(projectDir: string): void {
  cpSync(exampleDir, projectDir, {
    recursive: true,
    filter: (source) => !/node_modules|miniprogram_npm/.test(path.relative(exampleDir, source)),
  })
}

/**
 * Copies examples/miniprogram into `destination` and installs the tarballs in each placement with npm (real files,
 * not links). package.json then lists only `page-module`, as `npm install page-module` from the registry would;
 * its peer @page-module/node is installed next to it, as npm ≥ 7 does.
 */
export function createExampleProject(destination: string, tarballs: string[]): string {
  const projectDir = path.join(destination, 'project')
  copyExample(projectDir)
  for (const placement of placements) {
    const dir = path.join(projectDir, placement)
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', ...tarballs], {
      cwd: dir,
      stdio: 'pipe',
    })
    const manifest = { name: path.basename(dir), private: true, dependencies: { 'page-module': '^0.1.0' } }
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  }
  return projectDir
}

export interface PackNpmWarning {
  msg: string
  jsPath: string
}

/** DevTools' 构建 npm, from miniprogram-ci, offline: a fake appid and a fake key are enough for packNpm. */
export async function buildNpm(projectDir: string): Promise<PackNpmWarning[]> {
  const ci = (await import('miniprogram-ci')) as unknown as {
    Project: new (options: Record<string, unknown>) => unknown
    packNpm(project: unknown, options: Record<string, unknown>): Promise<PackNpmWarning[]>
  }
  const keyFile = path.join(projectDir, '..', 'private.fake.key')
  mkdirSync(path.dirname(keyFile), { recursive: true })
  writeFileSync(keyFile, 'not a key: packNpm never reads it')
  const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: projectDir, privateKeyPath: keyFile })
  return ci.packNpm(project, { reporter: () => undefined })
}
