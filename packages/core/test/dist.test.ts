import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'acorn'
import { describe, expect, it } from 'vitest'

// Core is inlined into the mini-program bundle: its build must parse as ES2015 and reach nothing outside itself.
const dist = path.join(import.meta.dirname, '..', 'dist')
const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as Record<string, unknown>

function builtFiles(): string[] {
  if (!existsSync(dist)) throw new Error('packages/core/dist is missing: run `pnpm build` first (the verify script does)')
  return readdirSync(dist).filter((file) => /\.(cjs|mjs)$/.test(file))
}

describe('@page-module/core build', () => {
  it('has no runtime dependencies', () => {
    expect(manifest.dependencies).toBeUndefined()
    expect(manifest.peerDependencies).toBeUndefined()
  })

  it('parses as ES2015', () => {
    const files = builtFiles()
    expect(files.length).toBeGreaterThanOrEqual(4)
    for (const file of files) {
      const source = readFileSync(path.join(dist, file), 'utf8')
      expect(() => parse(source, { ecmaVersion: 2015, sourceType: file.endsWith('.mjs') ? 'module' : 'script' }), file).not.toThrow()
    }
  })

  it('has a Node build of every entry, exporting the same names', async () => {
    for (const file of builtFiles().filter((name) => name.endsWith('.mjs') && !/-[\w-]{8}\.mjs$/.test(name))) {
      const nodeFile = path.join(dist, 'node', file)
      expect(existsSync(nodeFile), nodeFile).toBe(true)
      const [es2015, node] = await Promise.all([import(path.join(dist, file)), import(nodeFile)])
      expect(Object.keys(node).sort(), file).toEqual(Object.keys(es2015).sort())
    }
  })

  it('imports nothing but its own files, and touches no Node global', () => {
    for (const file of builtFiles()) {
      const source = readFileSync(path.join(dist, file), 'utf8')
      const specifiers = [...source.matchAll(/(?:require\(|from\s*)['"]([^'"]+)['"]/g)].map((match) => match[1])
      expect(
        specifiers.filter((specifier) => !specifier?.startsWith('./')),
        file,
      ).toEqual([])
      expect(source, file).not.toMatch(/\b(process|Buffer|__dirname|__filename|globalThis)\b/)
    }
  })
})
