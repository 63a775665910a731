import { performance } from 'node:perf_hooks'
import { percentile } from './statistics.mjs'

/**
 * Measures several ways of making the same call side by side: after a warm-up of each, they take turns in short
 * rounds (`rounds` × `roundMs` each), so a slow spell of a shared machine falls on all of them alike. For each:
 * calls per second, latency p50/p99 (ms) and the client's CPU time per call (µs, user + system of this process,
 * which is steadier than wall time on a busy machine), and the calls per second of each round (`roundRates`), for
 * ratios taken round by round. Every call must succeed: a failing call is a broken bench.
 */
export async function measureSideBySide(contenders, { concurrency, rounds, roundMs, warmupMs }) {
  const totals = contenders.map(() => ({ latencies: [], elapsedMs: 0, cpuMicroseconds: 0, roundRates: [] }))
  for (const contender of contenders) await runFor(contender.call, concurrency, warmupMs, () => undefined)
  for (let round = 0; round < rounds; round++) {
    for (const [index, contender] of contenders.entries()) {
      const total = totals[index]
      const cpuBefore = process.cpuUsage()
      const started = performance.now()
      const callsBefore = total.latencies.length
      await runFor(contender.call, concurrency, roundMs, (latency) => total.latencies.push(latency))
      const elapsedMs = performance.now() - started
      total.elapsedMs += elapsedMs
      total.roundRates.push((total.latencies.length - callsBefore) / (elapsedMs / 1000))
      const cpu = process.cpuUsage(cpuBefore)
      total.cpuMicroseconds += cpu.user + cpu.system
    }
  }
  return totals.map(({ latencies, elapsedMs, cpuMicroseconds, roundRates }) => {
    latencies.sort((left, right) => left - right)
    return {
      calls: latencies.length,
      perSecond: latencies.length / (elapsedMs / 1000),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      cpuMicrosecondsPerCall: cpuMicroseconds / latencies.length,
      roundRates,
    }
  })
}

// Each loop starts its next call only after the last one settled; the round ends when every loop's last call has.
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
