// One run on loopback: each scenario at each concurrency against the same forked reply server, then a table of
// ratios against raw keep-alive HTTP and results/latest.json. About 30 s.
import { fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { measure } from './measure.mjs'
import { requireTime } from './require-time.mjs'
import { scenarios } from './scenarios/index.mjs'

const CONCURRENCIES = [1, 16]
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000)
const WARMUP_MS = 1000
const credentials = { secretId: 'AKIDbench', secretKey: 'bench-secret-key' }

const server = fork(path.join(import.meta.dirname, 'reply-server.mjs'), { stdio: 'inherit' })
const { port } = await new Promise((resolve) => server.once('message', resolve))
const serviceUrl = `http://127.0.0.1:${port}/admin`

const throughput = []
try {
  for (const concurrency of CONCURRENCIES) {
    for (const scenario of scenarios) {
      const { call, close } = scenario.create({ serviceUrl, credentials })
      const result = await measure(call, { concurrency, durationMs: DURATION_MS, warmupMs: WARMUP_MS })
      await close()
      throughput.push({ scenario: scenario.key, name: scenario.name, concurrency, ...result })
      console.error(`  ${scenario.name} ×${concurrency}: ${result.perSecond.toFixed(0)}/s`)
    }
  }
} finally {
  server.disconnect()
}

const requireMs = { '@page-module/node': requireTime('@page-module/node', 5), '@cloudbase/node-sdk': requireTime('@cloudbase/node-sdk', 5) }

const rows = throughput.map((row) => {
  const raw = throughput.find((candidate) => candidate.scenario === 'raw' && candidate.concurrency === row.concurrency)
  return { ...row, vsRaw: row.perSecond / raw.perSecond }
})
console.log(`\nloopback, ${DURATION_MS} ms per cell, Node ${process.version}\n`)
console.log('| scenario | concurrency | calls/s | p50 ms | p99 ms | throughput vs raw |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
for (const row of rows) {
  console.log(`| ${row.name} | ${row.concurrency} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(3)} | ${row.p99.toFixed(3)} | ${(row.vsRaw * 100).toFixed(1)}% |`)
}
for (const concurrency of CONCURRENCIES) {
  const ours = rows.find((row) => row.scenario === 'pageModule' && row.concurrency === concurrency)
  const official = rows.find((row) => row.scenario === 'official' && row.concurrency === concurrency)
  const signed = rows.find((row) => row.scenario === 'rawSigned' && row.concurrency === concurrency)
  console.log(`\n×${concurrency}: ours is ${(ours.perSecond / official.perSecond).toFixed(2)}× the official SDK's throughput (p50 ${(official.p50 / ours.p50).toFixed(2)}× lower), ${(ours.vsRaw * 100).toFixed(0)}% of raw keep-alive HTTP, ${((ours.perSecond / signed.perSecond) * 100).toFixed(0)}% of raw HTTP signed per call`)
}
console.log(`\nrequire() in a fresh process (median of 5): @page-module/node ${requireMs['@page-module/node'].toFixed(1)} ms, @cloudbase/node-sdk ${requireMs['@cloudbase/node-sdk'].toFixed(1)} ms`)

const resultsDir = path.join(import.meta.dirname, '..', 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ node: process.version, durationMs: DURATION_MS, throughput: rows, requireMs }, null, 2)}\n`)
// The official SDK leaves keep-alive sockets and timers behind; the results are written, so stop here.
process.exit(0)
