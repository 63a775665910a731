import { stripVTControlCharacters } from 'node:util'
import { createColors } from 'picocolors'
import type { InvocationOutcome } from './cloudbase/functions/function-pool'

/** Receives every line the emulator prints: one per call, and what functions print. */
export type EmulatorLog = (line: string) => void

export interface CallLogEntry {
  readonly functionName: string
  readonly event: unknown
  /** Who called, as shown: an openid, `server`, or `fn:<name>` for a function calling another. */
  readonly caller: string
  readonly outcome: InvocationOutcome
  readonly milliseconds: number
  /** Said after the answer: why the call found nothing to run, for instance. */
  readonly note?: string
}

export interface CallLogFormat {
  /** `tcb:SignUp.doSignIn ← oUser1  0  12 ms` */
  call(entry: CallLogEntry): string
  /** A line a function printed, prefixed with its name. */
  output(functionName: string, line: string): string
  /** A request the emulator refused, with the reason it answered: `✕ POST /admin refused  INVALID_ENV: …`. */
  refused(request: string, reason: string): string
  /** Something the emulator noticed: a function reloaded, a folder without index.js. */
  notice(text: string): string
}

/** Colors by default only when the default log writes to a terminal and NO_COLOR is not set. */
export function colorsByDefault(hasOwnLog: boolean): boolean {
  return !hasOwnLog && process.stdout.isTTY === true && !process.env.NO_COLOR
}

export function createCallLogFormat(colors: boolean): CallLogFormat {
  const paint = createColors(colors)
  return {
    call({ functionName, event, caller: givenCaller, outcome, milliseconds, note }) {
      // Names, openids and messages come from callers: none may move the cursor or recolor the terminal.
      const label = printable(labelOf(functionName, event))
      const caller = printable(givenCaller)
      const answer = printable(outcome.ok ? answerOf(outcome.result) : `FAIL ${outcome.reason}: ${outcome.message}`)
      const painted = outcome.ok && (answer === '0' || answer === 'ok') ? paint.green(answer) : paint.red(answer)
      const noted = note === undefined ? '' : `  ${paint.yellow(printable(note))}`
      return `${paint.bold(label)} ${paint.dim('←')} ${paint.cyan(caller)}  ${painted}  ${paint.dim(`${milliseconds} ms`)}${noted}`
    },
    output(functionName, line) {
      // A function's own colors reach a terminal as it printed them; piped logs get none.
      return paint.dim(`  [${functionName}] ${colors ? line : stripVTControlCharacters(line)}`)
    },
    refused(request, reason) {
      return `${paint.red('✕')} ${paint.bold(printable(request))} ${paint.red('refused')}  ${printable(reason)}`
    },
    notice(text) {
      return `${paint.yellow('!')} ${printable(text)}`
    },
  }
}

// C0 and C1 controls (ESC, CSI…), DEL, line and paragraph separators, and bidirectional overrides.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** `text` with every control character shown as a `\uXXXX` escape. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The module and method for a PageModule envelope, the interface for a custom-interface call, else the function. */
function labelOf(functionName: string, event: unknown): string {
  if (typeof event !== 'object' || event === null) return functionName
  const record = event as Record<string, unknown>
  if (typeof record.protocol === 'string' && typeof record.module === 'string' && typeof record.method === 'string')
    return `${record.module}.${record.method}`
  if (record.pageModuleCustomApi === 1 && typeof record.name === 'string') return `${functionName}/${record.name}`
  return functionName
}

/** The answer's `code`; with its `msg` when the code is a failure (a custom interface's -1/-2 says why). */
function answerOf(result: unknown): string {
  const record = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {}
  if (typeof record.code !== 'number') return 'ok'
  return record.code !== 0 && typeof record.msg === 'string' && record.msg !== '' ? `${record.code} ${record.msg}` : String(record.code)
}
