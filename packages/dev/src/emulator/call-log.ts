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
    call({ functionName, event, caller, outcome, milliseconds }) {
      const label = labelOf(functionName, event)
      const answer = outcome.ok ? answerOf(outcome.result) : `FAIL ${outcome.reason}: ${outcome.message}`
      const painted = outcome.ok && (answer === '0' || answer === 'ok') ? paint.green(answer) : paint.red(answer)
      return `${paint.bold(label)} ${paint.dim('←')} ${paint.cyan(caller)}  ${painted}  ${paint.dim(`${milliseconds} ms`)}`
    },
    output(functionName, line) {
      return paint.dim(`  [${functionName}] ${line}`)
    },
  }
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
