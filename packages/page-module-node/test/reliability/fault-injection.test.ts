import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPageModuleError, type KnownErrorCode } from '@page-module/core'
import { PageModule } from '../../src/page-module'
import { createCountingModuleHost } from './counting-module-host'
import { FAULTS, type FaultKind } from './fault-catalog'
import { startFaultInjectingCloudBase, type Arrival, type FaultInjectingCloudBase } from './fault-injecting-cloudbase'
import { LONG_TIMEOUT, planCall, type PlannedCall } from './fault-plan'
import { eventually, exposedGc, settledHeapBytes, watchClientSockets } from './resource-probes'

const SEED = Number(process.env.RELIABILITY_SEED ?? 20261121)
const CALLS = 1000
const RETRIES = 2
const WARM_UP_CALLS = 50
// Long enough that a retry, queued behind a thousand calls for the agent's sockets, still finds the method running.
const RUNNING_METHOD_MS = 1500
// Generous: the run keeps no per-call state once settled; a leak of a few KB per call would show as megabytes.
const HEAP_GROWTH_LIMIT_BYTES = 24 * 1024 * 1024
const WATCHDOG_SLACK_MS = 10_000
const credentials = { secretId: 'AKIDreliability', secretKey: 'reliability-secret-key' }
const KNOWN_CODES: ReadonlySet<KnownErrorCode> = new Set([
  'HTTP_ERROR',
  'CLOUDBASE_ERROR',
  'NETWORK',
  'BAD_RESPONSE',
  'RESPONSE_TOO_LARGE',
  'TIMEOUT',
  'REQUEST_IN_PROGRESS',
])

type Settled = { readonly call: PlannedCall; readonly result: string; readonly requestId: string | undefined }

const plans = Array.from({ length: CALLS }, (_, index) => planCall(SEED, index, RETRIES))
const host = createCountingModuleHost()
let server: FaultInjectingCloudBase

beforeAll(async () => {
  server = await startFaultInjectingCloudBase({
    credentials,
    host: host.main,
    // Warm-up calls have negative numbers and meet no fault.
    faultFor: (call, arrival) => (call < 0 ? 'ok' : (plans[call]?.faults[arrival - 1] ?? 'ok')),
  })
})
afterAll(async () => {
  await server.close()
})

function createModule(): PageModule {
  return new PageModule('tcb:Reliability', {
    ...credentials,
    env: 'reliability-env',
    serviceUrl: server.serviceUrl,
    environment: {},
    retries: RETRIES,
    retryDelay: (attempt) => attempt * 2,
    maxResponseBytes: 256 * 1024,
  })
}

/** Runs the calls, failing with the pending ones' numbers if any is still unsettled well after every timeout. */
async function settleAll(module: PageModule, calls: readonly PlannedCall[]): Promise<Settled[]> {
  const pending = new Set(calls.map((call) => call.index))
  const runs = calls.map(async (call): Promise<Settled> => {
    const data = { call: call.index, ...(call.faults.includes('reset-while-running') ? { workMs: RUNNING_METHOD_MS } : {}) }
    try {
      const value = (await module.callMethod('work', data, {
        timeout: call.timeout,
        ...(call.idempotencyKey === undefined ? {} : { idempotencyKey: call.idempotencyKey }),
      })) as { call: number }
      return { call, result: value.call === call.index ? 'value' : `the answer of call ${value.call}`, requestId: undefined }
    } catch (error) {
      if (!isPageModuleError(error)) return { call, result: `not a PageModuleError: ${String(error)}`, requestId: undefined }
      return {
        call,
        result: KNOWN_CODES.has(error.code as KnownErrorCode) ? error.code : `unexpected code ${error.code}`,
        requestId: error.requestId,
      }
    } finally {
      pending.delete(call.index)
    }
  })
  let watchdog: ReturnType<typeof setTimeout> | undefined
  const stuck = new Promise<never>((_, reject) => {
    watchdog = setTimeout(
      () =>
        reject(
          new Error(
            `${pending.size} calls never settled, ${WATCHDOG_SLACK_MS} ms after the largest timeout: ` +
              `${[...pending].slice(0, 20).join(', ')}`,
          ),
        ),
      LONG_TIMEOUT + WATCHDOG_SLACK_MS,
    )
  })
  try {
    const settled = await Promise.race([Promise.allSettled(runs), stuck])
    return settled.map((outcome) =>
      outcome.status === 'fulfilled'
        ? outcome.value
        : { call: plans[0] as PlannedCall, result: `threw ${String(outcome.reason)}`, requestId: undefined },
    )
  } finally {
    clearTimeout(watchdog)
  }
}

function arrivalsByCall(arrivals: readonly Arrival[]): Map<number, Arrival[]> {
  const byCall = new Map<number, Arrival[]>()
  for (const arrival of arrivals) byCall.set(arrival.call, [...(byCall.get(arrival.call) ?? []), arrival])
  return byCall
}

describe(`${CALLS} concurrent calls through @page-module/node against injected faults (seed ${SEED})`, () => {
  it('settles each call with its value or a typed error as predicted, runs each key at most once, releases sockets and memory', async () => {
    const gc = exposedGc()
    const clientSockets = watchClientSockets()
    try {
      const warmUp = createModule()
      await Promise.all(Array.from({ length: WARM_UP_CALLS }, (_, index) => warmUp.callMethod('work', { call: -1 - index })))
      await warmUp.close()
      expect(await eventually(() => server.connections(), 0)).toBe(0)
      const heapBefore = gc === undefined ? undefined : settledHeapBytes(gc)
      server.arrivals.length = 0

      const module = createModule()
      // Calls that will stall start first, so they meet their fault before their short timeout runs out in the agent's queue.
      const settled = await settleAll(
        module,
        [...plans].sort((first, second) => first.timeout - second.timeout),
      )
      const connectionsBeforeClose = await server.connections()
      await module.close()

      // Every call settled with what the fault plan predicts.
      const unexpected = settled
        .filter(
          ({ call, result }) =>
            !call.outcomes.some((outcome) => outcome.result === result) && !(call.timeout < LONG_TIMEOUT && result === 'TIMEOUT'),
        )
        .map(
          ({ call, result }) =>
            `call ${call.index} [${call.faults.join(', ')}]${call.idempotencyKey ? ' with key' : ''}: got ${result}, expected ` +
            `${call.outcomes.map((outcome) => outcome.result).join(' or ')}`,
        )
      expect(unexpected).toEqual([])
      expect(server.unverified).toBe(0)

      // As many attempts reached the server as the prediction for that result says; all with the call's one requestId.
      const byCall = arrivalsByCall(server.arrivals)
      const wrongArrivals: string[] = []
      for (const { call, result, requestId } of settled) {
        const arrivals = byCall.get(call.index) ?? []
        const allowed = call.outcomes.filter((outcome) => outcome.result === result).map((outcome) => outcome.arrivals)
        const mostAllowed = Math.max(...call.outcomes.map((outcome) => outcome.arrivals))
        const countFits = call.timeout < LONG_TIMEOUT ? arrivals.length <= mostAllowed : allowed.includes(arrivals.length)
        const requestIds = new Set(arrivals.map((arrival) => arrival.requestId))
        if (!countFits || requestIds.size > 1 || (requestId !== undefined && arrivals.length > 0 && !requestIds.has(requestId))) {
          wrongArrivals.push(
            `call ${call.index} (${result}): ${arrivals.length} arrivals with ${requestIds.size} requestIds, expected ` +
              `${allowed.join(' or ')}`,
          )
        }
      }
      expect(wrongArrivals).toEqual([])

      // A call without a key is never retried once sent; a key runs at most once, and exactly once if the call got its value.
      const keyless = settled.filter(({ call }) => call.idempotencyKey === undefined)
      expect(keyless.filter(({ call }) => (byCall.get(call.index)?.length ?? 0) > 1).map(({ call }) => call.index)).toEqual([])
      expect([...host.executions].filter(([, count]) => count > 1)).toEqual([])
      const keyedValues = settled.filter(({ call, result }) => call.idempotencyKey !== undefined && result === 'value')
      expect(
        keyedValues.filter(({ call }) => host.executions.get(call.idempotencyKey as string) !== 1).map(({ call }) => call.index),
      ).toEqual([])

      // The run really exercised what it claims to: every fault, retries, and retries of calls the host had already run.
      const faultsSeen = new Map<FaultKind, number>()
      for (const arrival of server.arrivals) faultsSeen.set(arrival.fault, (faultsSeen.get(arrival.fault) ?? 0) + 1)
      expect(FAULTS.filter((fault) => (faultsSeen.get(fault.kind) ?? 0) < 5).map((fault) => fault.kind)).toEqual([])
      const retried = [...byCall.values()].filter((arrivals) => arrivals.length > 1)
      const retriedAfterRunning = retried.filter(
        (arrivals) => host.executions.has(arrivals[0]?.idempotencyKey ?? '') && arrivals.some((arrival) => arrival.number > 1),
      )
      expect(retried.length).toBeGreaterThan(50)
      expect(retriedAfterRunning.length).toBeGreaterThan(50)
      const results = new Map<string, number>()
      for (const { result } of settled) results.set(result, (results.get(result) ?? 0) + 1)
      expect(results.get('REQUEST_IN_PROGRESS') ?? 0).toBeGreaterThan(0)

      // Sockets: none left open on either side once the module is closed.
      expect(connectionsBeforeClose).toBeGreaterThan(0)
      expect(await eventually(() => server.connections(), 0)).toBe(0)
      expect(await eventually(() => clientSockets.open(), 0)).toBe(0)

      const heapAfter = gc === undefined ? undefined : settledHeapBytes(gc)
      console.log(
        `reliability run, seed ${SEED}: ${CALLS} calls, ${server.arrivals.length} arrivals; faults ` +
          `${JSON.stringify(Object.fromEntries(faultsSeen))}; ` +
          `results ${JSON.stringify(Object.fromEntries(results))}; calls retried ${retried.length} ` +
          `(after the host ran ${retriedAfterRunning.length}); ` +
          `most executions of one key ${Math.max(...host.executions.values())}; ` +
          `client sockets opened ${clientSockets.sockets.length}, open after close ${clientSockets.open()}; ` +
          `server connections before close ${connectionsBeforeClose}, after ${await server.connections()}; ` +
          (heapBefore === undefined || heapAfter === undefined
            ? 'heap not measured: gc could not be exposed'
            : `heap ${(heapBefore / 1048576).toFixed(1)} MiB before, ${(heapAfter / 1048576).toFixed(1)} MiB after`),
      )
      if (heapBefore === undefined || heapAfter === undefined) {
        console.warn('heap check skipped: global.gc could not be exposed in this runtime')
      } else {
        expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES)
      }
    } finally {
      clientSockets.stop()
    }
  }, 90_000)
})
