import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * What a fenced block's info string asks of the docs test: ```ts typecheck — compiled against the workspace sources;
 * ```ts runnable / ```js runnable — run (TypeScript compiled first; `require` code as CommonJS), so it must need no
 * network; ```js miniprogram — parsed as a mini-program page is compiled (no top-level `await`).
 */
export type CodeBlockCheck = 'typecheck' | 'runnable' | 'miniprogram'

const CHECKS: readonly CodeBlockCheck[] = ['typecheck', 'runnable', 'miniprogram']
const LANGUAGES_OF: Readonly<Record<CodeBlockCheck, readonly string[]>> = {
  typecheck: ['ts'],
  runnable: ['ts', 'js'],
  miniprogram: ['js'],
}

export interface CodeBlock {
  /** The markdown file, relative to the workspace root. */
  readonly file: string
  /** The line of the opening fence (1-based). */
  readonly line: number
  readonly language: 'ts' | 'js'
  readonly check: CodeBlockCheck
  readonly code: string
}

const FENCE = /^```(\w+)?(.*)$/

/** The markdown files whose blocks are checked: the root README, every package's README, docs/. */
export function markdownFiles(root: string): string[] {
  const packages = readdirSync(path.join(root, 'packages')).map((name) => `packages/${name}/README.md`)
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  return ['README.md', ...packages, ...docs].filter((file) => {
    try {
      readFileSync(path.join(root, file))
      return true
    } catch {
      return false
    }
  })
}

/** Every block marked `typecheck` or `runnable` in `markdown`; an unknown language with a marker is an error. */
export function codeBlocksOf(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = markdown.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const opening = FENCE.exec(lines[index] as string)
    if (!opening) continue
    const end = lines.findIndex((text, at) => at > index && text.startsWith('```'))
    if (end < 0) throw new Error(`${file}:${index + 1}: a code block is never closed`)
    const words = (opening[2] ?? '').trim().split(/\s+/)
    const check = words.find((word): word is CodeBlockCheck => (CHECKS as readonly string[]).includes(word))
    if (check !== undefined) {
      const language = opening[1]
      if (language === undefined || !LANGUAGES_OF[check].includes(language))
        throw new Error(
          `${file}:${index + 1}: only ${LANGUAGES_OF[check].join(' and ')} blocks can be marked ${check}, not ${String(language)}`,
        )
      blocks.push({ file, line: index + 1, language: language as 'ts' | 'js', check, code: lines.slice(index + 1, end).join('\n') })
    }
    index = end
  }
  return blocks
}
