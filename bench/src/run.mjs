// One run of every section, one after another on loopback, then the tables (stdout) and results/latest.json.
// Each section is bounded; the whole run takes about two minutes after the build.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { clearCloudVariables } from './cloud-variables.mjs'
import { measureColdStart } from './cold-start.mjs'
import { measureDatabaseQuery } from './database-query.mjs'
import { measureEmulatorThroughput } from './emulator-throughput.mjs'
import { measureInstallWeight } from './install-weight.mjs'
import { measureMiniprogramBundle } from './miniprogram-bundle.mjs'
import { formatReport } from './report.mjs'
import { measureSmProtectionCost } from './sm-protection-cost.mjs'
import { measureThroughput } from './throughput.mjs'
import { measureTokenFetches } from './token-fetches.mjs'

const settings = {
  throughput: { concurrencies: [1, 16], rounds: 8, roundMs: Number(process.env.BENCH_ROUND_MS ?? 500), warmupMs: 500 },
  coldStart: { runs: 9 },
  tokens: { processes: 4, callsPerProcess: 250 },
  emulator: { burst: 200, rounds: 5, maxInstances: 8 },
  database: { concurrency: 8, rounds: 8, roundMs: Number(process.env.BENCH_ROUND_MS ?? 500), warmupMs: 500 },
}

const cleared = clearCloudVariables()
if (cleared.length > 0) console.error(`cleared from this run's environment: ${cleared.join(', ')}`)
const started = Date.now()
const section = async (name, measure) => {
  console.error(`${name}…`)
  const sectionStarted = Date.now()
  const result = await measure()
  console.error(`  ${name}: ${((Date.now() - sectionStarted) / 1000).toFixed(1)} s`)
  return result
}

// The installs wait on the network, not the CPU: they run while the CPU-bound sections do not.
const installWeight = section('install weight', measureInstallWeight)
const miniprogramBundle = await section('mini-program bundle', measureMiniprogramBundle)
const tokens = await section('access_token fetches', () => measureTokenFetches(settings.tokens))
const results = {
  machine: {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
  },
  settings,
  installWeight: await installWeight,
  miniprogramBundle,
  tokens,
  coldStart: await section('cold start', () => measureColdStart(settings.coldStart.runs)),
  throughput: await section('callMethod throughput', () => measureThroughput(settings.throughput)),
  emulator: await section('emulator throughput', () => measureEmulatorThroughput(settings.emulator)),
  database: await section('database query', () => measureDatabaseQuery(settings.database)),
  smProtection: await section('SM protection CPU per call', () => measureSmProtectionCost()),
}
results.seconds = Math.round((Date.now() - started) / 1000)

console.log(formatReport(results))
const resultsDir = path.join(import.meta.dirname, '..', 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
// The official SDK leaves keep-alive sockets and metadata look-ups behind; the results are written, so stop here.
process.exit(0)
