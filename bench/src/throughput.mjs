import path from 'node:path'
import { startForkedServer } from './forked-server.mjs'
import { measureSideBySide } from './measure.mjs'
import { roundByRoundRatio } from './statistics.mjs'
import { scenarios } from './scenarios/index.mjs'

export const SERVERS = [
  { key: 'reply', name: 'trivial reply server', file: 'reply-server.mjs', args: [] },
  // As many instances as callers, so that at 16 no call waits for a free function process.
  { key: 'emulator', name: 'emulator, signatures verified', file: 'emulator-server.mjs', args: ['16'] },
]

/**
 * Every scenario at each concurrency against each server, side by side; rows carry each scenario's ratio to the
 * raw replay, to raw signed per call and to the independent floor of the same cell.
 */
export async function measureThroughput({ concurrencies, rounds, roundMs, warmupMs }) {
  const rows = []
  for (const server of SERVERS) {
    const started = await startForkedServer(path.join(import.meta.dirname, server.file), server.args)
    try {
      for (const concurrency of concurrencies) {
        const made = scenarios.map((scenario) => ({ scenario, ...scenario.create(started) }))
        try {
          const results = await measureSideBySide(made, { concurrency, rounds, roundMs, warmupMs })
          const byKey = Object.fromEntries(made.map(({ scenario }, index) => [scenario.key, results[index]]))
          for (const [index, { scenario }] of made.entries()) {
            const result = results[index]
            rows.push({
              server: server.key,
              serverName: server.name,
              scenario: scenario.key,
              name: scenario.name,
              concurrency,
              ...result,
              vsRaw: roundByRoundRatio(result, byKey.raw),
              vsRawSigned: roundByRoundRatio(result, byKey.rawSigned),
              vsFloor: roundByRoundRatio(result, byKey.floor),
            })
          }
          console.error(
            `  throughput: ${server.name} ×${concurrency}: ` +
              `${made.map(({ scenario }, index) => `${scenario.key} ${results[index].perSecond.toFixed(0)}/s`).join(', ')}`,
          )
        } finally {
          for (const { close } of made) await close()
        }
      }
    } finally {
      await started.stop()
    }
  }
  return rows
}
