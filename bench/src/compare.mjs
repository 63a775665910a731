// Two or more throughput contenders side by side on one server, for judging a change: run it on the build before
// and after, or list the contenders to compare. Prints calls/s, client CPU µs per call and each contender's
// round-by-round ratio to the first. Not part of `pnpm bench`.
//
//   node src/compare.mjs [--server reply|emulator] [--concurrency 16] [--rounds 12] [--round-ms 400] [keys…]
//
// keys are scenario keys (src/scenarios/index.mjs); default: floor pageModule.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { clearCloudVariables } from './cloud-variables.mjs'
import { startForkedServer } from './forked-server.mjs'
import { measureSideBySide } from './measure.mjs'
import { scenarios } from './scenarios/index.mjs'
import { roundByRoundRatio } from './statistics.mjs'
import { SERVERS } from './throughput.mjs'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', default: 'reply' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '12' },
    'round-ms': { type: 'string', default: '400' },
  },
})
const keys = positionals.length > 0 ? positionals : ['floor', 'pageModule']
const chosen = keys.map(
  (key) =>
    scenarios.find((scenario) => scenario.key === key) ??
    fail(`no scenario ${key}; there are ${scenarios.map((scenario) => scenario.key).join(', ')}`),
)
const server =
  SERVERS.find((candidate) => candidate.key === values.server) ??
  fail(`no server ${values.server}; there are ${SERVERS.map((candidate) => candidate.key).join(', ')}`)
const settings = {
  concurrency: Number(values.concurrency),
  rounds: Number(values.rounds),
  roundMs: Number(values['round-ms']),
  warmupMs: 500,
}
if (!Object.values(settings).every((value) => Number.isInteger(value) && value > 0))
  fail('--concurrency, --rounds and --round-ms take whole numbers above 0')

clearCloudVariables()
const started = await startForkedServer(path.join(import.meta.dirname, server.file), server.args)
const made = chosen.map((scenario) => scenario.create(started))
try {
  const results = await measureSideBySide(made, settings)
  console.log(`${server.name}, ×${settings.concurrency}, ${settings.rounds} rounds of ${settings.roundMs} ms`)
  for (const [index, scenario] of chosen.entries()) {
    const result = results[index]
    const ratio = index === 0 ? '' : `  ${(roundByRoundRatio(result, results[0]) * 100).toFixed(1)}% of ${chosen[0].key}`
    console.log(
      `${scenario.key.padEnd(12)} ${result.perSecond.toFixed(0).padStart(6)} calls/s  ` +
        `${result.cpuMicrosecondsPerCall.toFixed(1).padStart(7)} µs/call${ratio}`,
    )
  }
} finally {
  for (const { close } of made) await close()
  await started.stop()
}
// The official SDK leaves sockets and metadata look-ups behind.
process.exit(0)

function fail(message) {
  console.error(message)
  process.exit(2)
}
