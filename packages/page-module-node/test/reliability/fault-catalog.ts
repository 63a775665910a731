// The faults the loopback CloudBase injects, what a caller of @page-module/node sees for each, and whether core
// retries it. docs/reliability.md's fault matrix is checked against this table, and the 1000-call test checks
// the table against what really happens.

export type FaultKind =
  | 'ok'
  | 'ok-wrong-content-type'
  | 'slow-trickle'
  | 'http-503-json'
  | 'http-502-text'
  | 'cloudbase-busy'
  | 'reset-before-answer'
  | 'reset-while-running'
  | 'reset-in-body'
  | 'truncated-json'
  | 'html-page'
  | 'endless-answer'
  | 'stall'

/** What the caller gets from one attempt that met the fault. `answer`: the module's own answer comes through. */
export type AttemptOutcome = { readonly kind: 'answer' } | { readonly kind: 'error'; readonly code: string; readonly retryable: boolean }

export interface Fault {
  readonly kind: FaultKind
  /** How the loopback server behaves. */
  readonly description: string
  /** Relative frequency in the 1000-call run. */
  readonly weight: number
  /** The module host ran the method before the fault hit (so a retry must be answered from the idempotency record). */
  readonly runsHost: boolean
  readonly outcome: AttemptOutcome
}

const answer: AttemptOutcome = { kind: 'answer' }
const error = (code: string, retryable: boolean): AttemptOutcome => ({ kind: 'error', code, retryable })

export const FAULTS: readonly Fault[] = [
  { kind: 'ok', description: 'HTTP 200 JSON, the module answer', weight: 30, runsHost: true, outcome: answer },
  {
    kind: 'ok-wrong-content-type',
    description: 'HTTP 200, the right JSON labelled `text/html`',
    weight: 5,
    runsHost: true,
    outcome: answer,
  },
  { kind: 'slow-trickle', description: 'HTTP 200 JSON sent in 6 pieces 15 ms apart', weight: 6, runsHost: true, outcome: answer },
  {
    kind: 'http-503-json',
    description: 'HTTP 503 with a CloudBase JSON error, after the function ran',
    weight: 7,
    runsHost: true,
    outcome: error('HTTP_ERROR', true),
  },
  {
    kind: 'http-502-text',
    description: 'HTTP 502 `text/plain` from a gateway, before the function ran',
    weight: 7,
    runsHost: false,
    outcome: error('HTTP_ERROR', true),
  },
  {
    kind: 'cloudbase-busy',
    description: 'HTTP 200 `{ code: "SYS_ERR" }`, before the function ran',
    weight: 6,
    runsHost: false,
    outcome: error('CLOUDBASE_ERROR', true),
  },
  {
    kind: 'reset-before-answer',
    description: 'the connection reset after the function ran, before any byte of the answer',
    weight: 7,
    runsHost: true,
    outcome: error('NETWORK', true),
  },
  {
    kind: 'reset-while-running',
    description: 'the connection reset while the function still runs (1.5 s)',
    weight: 5,
    runsHost: true,
    outcome: error('NETWORK', true),
  },
  {
    kind: 'reset-in-body',
    description: "the connection reset after part of the answer's body",
    weight: 7,
    runsHost: true,
    outcome: error('NETWORK', true),
  },
  {
    kind: 'truncated-json',
    description: 'HTTP 200 with half of the JSON answer (a complete, short body)',
    weight: 6,
    runsHost: true,
    outcome: error('BAD_RESPONSE', false),
  },
  {
    kind: 'html-page',
    description: 'HTTP 200 `text/html` error page from a proxy',
    weight: 6,
    runsHost: true,
    outcome: error('BAD_RESPONSE', false),
  },
  {
    kind: 'endless-answer',
    description: "HTTP 200 JSON that never ends, past the caller's `maxResponseBytes` (256 KiB here)",
    weight: 3,
    runsHost: true,
    outcome: error('RESPONSE_TOO_LARGE', false),
  },
  {
    kind: 'stall',
    description: "no answer at all, past the call's timeout (300–800 ms)",
    weight: 8,
    runsHost: true,
    outcome: error('TIMEOUT', false),
  },
]

export function faultOf(kind: FaultKind): Fault {
  const fault = FAULTS.find((candidate) => candidate.kind === kind)
  if (fault === undefined) throw new Error(`unknown fault ${kind}`)
  return fault
}
