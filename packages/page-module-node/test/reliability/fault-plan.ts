import { FAULTS, faultOf, type AttemptOutcome, type FaultKind } from './fault-catalog'

/** One call of the run: its faults, one per possible attempt, chosen from the seed alone. */
export interface PlannedCall {
  readonly index: number
  readonly idempotencyKey: string | undefined
  /** The fault each arrival of this call meets, in order (`retries + 1` of them). */
  readonly faults: readonly FaultKind[]
  readonly timeout: number
  /** Every result the call may settle with, and how many attempts reach the server for each. */
  readonly outcomes: readonly PredictedOutcome[]
}

/** `value` for a resolved call, else the `PageModuleError` code. */
export interface PredictedOutcome {
  readonly result: string
  readonly arrivals: number
}

// Far above the run's own length on a slow machine: a call without a stall must never time out.
export const LONG_TIMEOUT = 30_000
const SHORT_TIMEOUT_MIN = 300
const SHORT_TIMEOUT_SPREAD = 500
const SHARE_WITH_KEY = 0.75

/** A deterministic random source for a tuple of integers (a 32-bit mix of them, then mulberry32). */
export function seededRandom(...parts: number[]): () => number {
  let state = 0x9e3779b9
  for (const part of parts) {
    state = Math.imul(state ^ (part | 0), 0x85ebca6b)
    state ^= state >>> 13
    state = Math.imul(state, 0xc2b2ae35)
    state ^= state >>> 16
  }
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

const totalWeight = FAULTS.reduce((sum, fault) => sum + fault.weight, 0)

function pickFault(random: () => number): FaultKind {
  let ticket = random() * totalWeight
  for (const fault of FAULTS) {
    ticket -= fault.weight
    if (ticket < 0) return fault.kind
  }
  return 'ok'
}

export function planCall(seed: number, index: number, retries: number): PlannedCall {
  const random = seededRandom(seed, index)
  const idempotencyKey = random() < SHARE_WITH_KEY ? `reliability-${seed}-${index}` : undefined
  const faults = Array.from({ length: retries + 1 }, () => pickFault(random))
  const outcomes = predictOutcomes(faults, idempotencyKey !== undefined, retries)
  const stalls = outcomes.some((outcome) => outcome.result === 'TIMEOUT')
  const timeout = stalls ? SHORT_TIMEOUT_MIN + Math.floor(random() * SHORT_TIMEOUT_SPREAD) : LONG_TIMEOUT
  return { index, idempotencyKey, faults, timeout, outcomes }
}

/**
 * What the call may settle with. A reset while the method runs leaves the host busy for a while, so a retry may
 * find it still running (`-6`, retried) or done (answered from the record): every point of that switch is a branch.
 */
export function predictOutcomes(faults: readonly FaultKind[], hasKey: boolean, retries: number): PredictedOutcome[] {
  const busyAt = faults.indexOf('reset-while-running') + 1
  const doneFromChoices = busyAt === 0 ? [Infinity] : Array.from({ length: retries + 2 - busyAt }, (_, offset) => busyAt + 1 + offset)
  const outcomes = new Map<string, PredictedOutcome>()
  for (const doneFrom of doneFromChoices) {
    const outcome = simulate(faults, hasKey, retries, doneFrom)
    outcomes.set(`${outcome.result}/${outcome.arrivals}`, outcome)
  }
  return [...outcomes.values()]
}

function simulate(faults: readonly FaultKind[], hasKey: boolean, retries: number, doneFrom: number): PredictedOutcome {
  let host: 'fresh' | 'running' | 'done' = 'fresh'
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (host === 'running' && attempt >= doneFrom) host = 'done'
    const fault = faultOf(faults[attempt - 1] ?? 'ok')
    let busy = false
    if (fault.runsHost && hasKey) {
      if (host === 'running') busy = true
      else if (host === 'fresh') host = fault.kind === 'reset-while-running' ? 'running' : 'done'
    }
    const outcome: AttemptOutcome =
      fault.outcome.kind === 'answer' && busy ? { kind: 'error', code: 'REQUEST_IN_PROGRESS', retryable: true } : fault.outcome
    if (outcome.kind === 'answer') return { result: 'value', arrivals: attempt }
    // Every fault here happens after the request left, so only a key makes a retry safe.
    if (outcome.retryable && hasKey && attempt <= retries) continue
    return { result: outcome.code, arrivals: attempt }
  }
  throw new Error('unreachable: the last attempt always settles')
}
