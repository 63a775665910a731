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
}

export interface CallLogFormat {
  /** `tcb:SignUp.doSignIn ← oUser1  0  12 ms` */
  call(entry: CallLogEntry): string
  /** A line a function printed, prefixed with its name. */
  output(functionName: string, line: string): string
}

export function createCallLogFormat(colors: boolean): CallLogFormat {
  const paint = createColors(colors)
  return {
    call({ functionName, event, caller: givenCaller, outcome, milliseconds }) {
      // Names, openids and messages come from callers: none may move the cursor or recolor the terminal.
      const label = printable(labelOf(functionName, event))
      const caller = printable(givenCaller)
      const answer = printable(outcome.ok ? answerOf(outcome.result) : `FAIL ${outcome.reason}: ${outcome.message}`)
      const painted = outcome.ok && (answer === '0' || answer === 'ok') ? paint.green(answer) : paint.red(answer)
      return `${paint.bold(label)} ${paint.dim('←')} ${paint.cyan(caller)}  ${painted}  ${paint.dim(`${milliseconds} ms`)}`
    },
    output(functionName, line) {
      return paint.dim(`  [${functionName}] ${line}`)
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

function answerOf(result: unknown): string {
  const code = typeof result === 'object' && result !== null ? (result as Record<string, unknown>).code : undefined
  return typeof code === 'number' ? String(code) : 'ok'
}
