import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig } from 'vitest/config'

const root = import.meta.dirname

/**
 * Tests run against `src`: every workspace package's export `./dist/<name>.mjs` is aliased to
 * `src/<name>.ts` or `src/<name>/index.ts`, so the aliases come from the same `exports` map users get.
 */
function sourceAliases(): Array<{ find: RegExp; replacement: string }> {
  const aliases: Array<{ find: RegExp; replacement: string }> = []
  for (const folder of readdirSync(path.join(root, 'packages'))) {
    const packageDir = path.join(root, 'packages', folder)
    const manifestPath = path.join(packageDir, 'package.json')
    if (!existsSync(manifestPath)) continue
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; exports?: Record<string, unknown> }
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      // Every built file in condition order (core's `node` build comes before its ES2015 one); the first with a source wins.
      const builds = [...JSON.stringify(target).matchAll(/"\.\/dist\/([\w/-]+)\.mjs"/g)].map((match) => match[1])
      const candidates = builds.flatMap((built) => [`src/${built}.ts`, `src/${built}/index.ts`])
      const source = candidates.map((candidate) => path.join(packageDir, candidate)).find(existsSync)
      if (!source) continue
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
      aliases.push({ find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`), replacement: source })
    }
  }
  return aliases
}

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'tooling/**/*.test.ts', 'bench/src/**/*.test.mjs'],
    restoreMocks: true,
    testTimeout: 20_000,
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts', 'packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.typetests.json',
    },
  },
})
