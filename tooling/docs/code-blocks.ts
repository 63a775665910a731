import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * What a fenced block's info string asks of the docs test: ```ts typecheck — compiled against the workspace sources;
 * ```ts runnable / ```js runnable — run as an ES module (TypeScript compiled first), so it must need no network.
 */
export type CodeBlockCheck = 'typecheck' | 'runnable'

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
    const check = words.find((word): word is CodeBlockCheck => word === 'typecheck' || word === 'runnable')
    if (check !== undefined) {
      const language = opening[1]
      if (language !== 'ts' && language !== 'js')
        throw new Error(`${file}:${index + 1}: only ts and js blocks can be marked ${check}, not ${String(language)}`)
      if (language === 'js' && check === 'typecheck')
        throw new Error(`${file}:${index + 1}: js blocks are run (runnable), not type-checked — JavaScript callers have no types`)
      blocks.push({ file, line: index + 1, language, check, code: lines.slice(index + 1, end).join('\n') })
    }
    index = end
  }
  return blocks
}
