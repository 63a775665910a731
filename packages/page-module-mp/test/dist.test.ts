import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'acorn'
import { describe, expect, it } from 'vitest'

// Frameworks that bundle for the mini-program (Taro, uni-app) take these files as they are.
const dist = path.join(import.meta.dirname, '..', 'dist')
const entries = ['index.mjs', 'index.cjs']

function read(file: string): string {
  const full = path.join(dist, file)
  if (!existsSync(full))
    throw new Error(`packages/page-module-mp/dist/${file} is missing: run \`pnpm build\` first (the verify script does)`)
  return readFileSync(full, 'utf8')
}

describe('@page-module/mp build', () => {
  it.each(entries)('%s parses as ES2015', (file) => {
    expect(() => parse(read(file), { ecmaVersion: 2015, sourceType: file.endsWith('.mjs') ? 'module' : 'script' })).not.toThrow()
  })

  it.each(entries)('%s imports only @page-module/core and uses no Node global or secret', (file) => {
    const source = read(file)
    const specifiers = [...source.matchAll(/(?:require\(|from\s*)['"]([^'"]+)['"]/g)].map((match) => match[1])
    expect([...new Set(specifiers)]).toEqual(['@page-module/core'])
    expect(source).not.toMatch(/\b(process|Buffer|__dirname|__filename|globalThis)\b/)
    expect(source).not.toMatch(/secretKey|secretId|sessionToken|appSecret|access_token/i)
  })
})
