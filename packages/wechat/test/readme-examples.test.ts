import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

// Every README block marked "runs in packages/wechat/test/readme-examples.test.ts" runs here; each `// → text`
// comment is a line it must print.
const readme = readFileSync(path.join(import.meta.dirname, '../README.md'), 'utf8')
const MARKER = '<!-- runs in packages/wechat/test/readme-examples.test.ts -->'
const blocks = readme
  .split(MARKER)
  .slice(1)
  .map((part) => /^\s*```js\n([\s\S]*?)\n```/.exec(part)?.[1])
const folder = mkdtempSync(path.join(tmpdir(), 'wechat-readme-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('packages/wechat/README.md examples', () => {
  it('has the marked examples', () => {
    expect(blocks).toHaveLength(3)
    for (const block of blocks) expect(block).toContain('// →')
  })

  blocks.forEach((block, index) => {
    it(`example ${index + 1} prints what its comments say`, async () => {
      const file = path.join(folder, `example-${index + 1}.mjs`)
      writeFileSync(file, block ?? '')
      const printed: string[] = []
      vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void printed.push(values.map(String).join(' ')))
      await import(file)
      const expected = [...(block ?? '').matchAll(/\/\/ → (.*)$/gm)].map((match) => match[1])
      expect(printed).toEqual(expected)
    })
  })
})
