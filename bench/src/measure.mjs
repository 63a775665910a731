import { performance } from 'node:perf_hooks'

/**
 * Runs `call` from `concurrency` loops for `durationMs` after `warmupMs` of the same (so the JIT and the sockets
 * are warm), and returns calls per second and latency percentiles (ms). Every call must succeed: a failing
 * scenario is a broken bench, not a slow one.
 */
export async function measure(call, { concurrency, durationMs, warmupMs }) {
  await runFor(call, concurrency, warmupMs, () => undefined)
  const latencies = []
  const started = performance.now()
  await runFor(call, concurrency, durationMs, (latency) => latencies.push(latency))
  const elapsed = performance.now() - started
  latencies.sort((left, right) => left - right)
  return {
    calls: latencies.length,
    perSecond: latencies.length / (elapsed / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  }
}

async function runFor(call, concurrency, durationMs, record) {
  const deadline = performance.now() + durationMs
  const loop = async () => {
    while (performance.now() < deadline) {
      const before = performance.now()
      await call()
      record(performance.now() - before)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]
}
