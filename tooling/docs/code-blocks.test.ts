// Every code block the READMEs and docs mark (```ts typecheck, ```ts runnable, ```js runnable) compiles against the
// workspace sources and, when runnable, runs: a snippet cannot rot. Blocks run as ES modules in a temp folder (the
// workspace packages resolve to their sources, as in every test), so a runnable block needs no network.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'acorn'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { codeBlocksOf, markdownFiles, type CodeBlock } from './code-blocks'

const root = path.resolve(import.meta.dirname, '../..')
const blocks = markdownFiles(root).flatMap((file) => codeBlocksOf(file, readFileSync(path.join(root, file), 'utf8')))

/**
 * What a snippet may use without declaring: the mini-program's globals, and the secrets a reader fills in. Nothing
 * else — a snippet imports what it uses.
 */
const AMBIENT = `
declare function Page(options: Record<string, unknown> & ThisType<{ setData(data: Record<string, unknown>): void }>): void
declare const secretId: string
declare const secretKey: string
declare const appSecret: string
`

const snippetDir = path.join(root, 'tooling/docs/__snippets__')
const nameOf = (block: CodeBlock) => `${block.file.replace(/[/.]/g, '-')}-${block.line}`

/** Type errors of every TypeScript block, by block, from one program over virtual files beside the workspace. */
function typeErrors(checked: readonly CodeBlock[]): Map<CodeBlock, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.typetests.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
      },
    },
  )
  if (!config) throw new Error('tsconfig.typetests.json did not parse')
  const virtual = new Map<string, string>([[path.join(snippetDir, 'ambient.d.ts'), AMBIENT]])
  const fileOf = new Map<string, CodeBlock>()
  for (const block of checked.filter((candidate) => candidate.language === 'ts')) {
    const file = path.join(snippetDir, `${nameOf(block)}.ts`)
    virtual.set(file, `${block.code}\nexport {}\n`)
    fileOf.set(file, block)
  }
  const host = ts.createCompilerHost(config.options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  host.readFile = (file) => virtual.get(path.resolve(file)) ?? readFile(file)
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file)
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: { ...config.options, noEmit: true }, host })
  const errors = new Map<CodeBlock, string[]>()
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const block = diagnostic.file && fileOf.get(path.resolve(diagnostic.file.fileName))
    const where = block && diagnostic.start !== undefined ? diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start) : undefined
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!block) throw new Error(`outside any snippet: ${diagnostic.file?.fileName ?? ''} ${message}`)
    const list = errors.get(block) ?? []
    list.push(`${block.file}:${block.line + 1 + (where?.line ?? 0)}: TS${diagnostic.code} ${message}`)
    errors.set(block, list)
  }
  return errors
}

const runDir = mkdtempSync(path.join(tmpdir(), 'page-module-snippets-'))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

describe('marked code blocks of the READMEs and docs', () => {
  it('finds the marked blocks (the root README’s TypeScript one among them)', () => {
    expect(blocks.some((block) => block.file === 'README.md' && block.language === 'ts')).toBe(true)
    expect(blocks.some((block) => block.check === 'runnable')).toBe(true)
  })

  const errors = typeErrors(blocks)
  const typed = blocks.filter((block) => block.language === 'ts')
  it.each(typed.map((block) => [`${block.file}:${block.line}`, block] as const))('%s compiles', (_where, block) => {
    expect(errors.get(block) ?? []).toEqual([])
  })

  const runnable = blocks.filter((block) => block.check === 'runnable')
  it.each(runnable.map((block) => [`${block.file}:${block.line}`, block] as const))('%s runs', async (_where, block) => {
    const commonJs = block.language === 'js' && /\brequire\(|\bmodule\.exports\b|\bexports\.\w/.test(block.code)
    const file = path.join(runDir, `${nameOf(block)}.${block.language === 'ts' ? 'ts' : commonJs ? 'cjs' : 'mjs'}`)
    writeFileSync(file, commonJs ? `${block.code}\n` : `${block.code}\nexport {}\n`)
    await import(/* @vite-ignore */ file)
  })

  // DevTools compiles a page's ES modules to CommonJS, where a top-level await is a SyntaxError.
  const pages = blocks.filter((block) => block.check === 'miniprogram')
  it.each(pages.map((block) => [`${block.file}:${block.line}`, block] as const))('%s parses as a mini-program page', (_where, block) => {
    expect(() => parse(block.code, { ecmaVersion: 2020, sourceType: 'module' })).not.toThrow()
  })
})

describe('the checks themselves', () => {
  it('refuse a page with a top-level await', () => {
    const page = "import { PageModule } from '@page-module/mp'\nconst { streak } = await new PageModule('tcb:A').callMethod('a', {})"
    expect(() => parse(page, { ecmaVersion: 2020, sourceType: 'module' })).toThrow(/await/)
  })

  it('report a snippet that does not compile, at its markdown line', () => {
    const broken: CodeBlock = {
      file: 'broken.md',
      line: 7,
      language: 'ts',
      check: 'typecheck',
      // Without a method map, callMethod resolves with unknown: reading a field of it does not compile.
      code: "import { PageModule } from 'page-module'\nconst m = new PageModule('tcb:SignUp')\nconst { streak } = await m.callMethod('doSignIn', {})",
    }
    expect(typeErrors([broken]).get(broken)).toEqual([expect.stringMatching(/^broken\.md:10: TS2339 Property 'streak' does not exist/)])
  })

  it('reads the marker from the info string and refuses one on a block it cannot check', () => {
    const markdown = ['```ts typecheck', 'const a: number = 1', '```', '```sh runnable', 'ls', '```'].join('\n')
    expect(() => codeBlocksOf('x.md', markdown)).toThrow(/x\.md:4: only ts and js blocks can be marked runnable, not sh/)
    expect(codeBlocksOf('x.md', markdown.split('\n').slice(0, 3).join('\n'))).toEqual([
      { file: 'x.md', line: 1, language: 'ts', check: 'typecheck', code: 'const a: number = 1' },
    ])
  })
})
