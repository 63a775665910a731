import { isPageModuleError, redactSecrets } from '@page-module/core'

/** Receives one line per attempt. */
export type DebugLogger = (line: string) => void

export interface AttemptRecord {
  readonly functionName: string
  readonly attempt: number
  readonly url: string
  readonly milliseconds: number
  readonly outcome:
    { readonly status: 'ok'; readonly cloudRequestId: string | undefined } | { readonly status: 'error'; readonly error: unknown }
}

/** `logger`, or `console.error` when `debug` is on, or nothing. */
export function debugLoggerOf(options: {
  readonly logger?: DebugLogger | undefined
  readonly debug?: boolean | undefined
}): DebugLogger | undefined {
  if (options.logger !== undefined) return options.logger
  // eslint-disable-next-line no-console
  return options.debug === true ? (line) => console.error(line) : undefined
}

/** One line for an attempt, with every secret removed (the URL and error messages are the only free text). */
export function formatAttempt(record: AttemptRecord, secrets: readonly string[]): string {
  const where = `[page-module:node] ${record.functionName} attempt ${record.attempt} POST ${record.url || '(not built)'}`
  const outcome = record.outcome
  const result =
    outcome.status === 'ok'
      ? `ok${outcome.cloudRequestId === undefined ? '' : ` cloudRequestId=${outcome.cloudRequestId}`}`
      : isPageModuleError(outcome.error)
        ? `${outcome.error.code} requestSent=${String(outcome.error.requestSent)}: ${outcome.error.message}`
        : `threw ${outcome.error instanceof Error ? outcome.error.name : typeof outcome.error}`
  return withoutUrlCredentials(redactSecrets(`${where} → ${result} in ${Math.round(record.milliseconds)} ms`, secrets))
}

/** `http://user:password@host` → `http://[redacted]@host`, wherever a URL appears in the line. */
function withoutUrlCredentials(line: string): string {
  return line.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, '$1[redacted]@')
}
