// Throughput of the emulator: rounds of 200 concurrent calls to one function, through the official
// node-sdk (signed, verified) and through the wx.cloud bridge (plain fetch, no signature).
// Run after a build: node packages/server/bench/concurrent-calls.mjs [rounds] [maxInstances]
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { startEmulator } from '@page-module/server/emulator'
import { createWxCloudBridge } from '@page-module/server/wx-cloud-bridge'

const rounds = Number(process.argv[2] ?? 5)
const maxInstances = Number(process.argv[3] ?? 8)
const emulator = await startEmulator({ functionsDir: path.join(import.meta.dirname, '../test/fixtures/cloudfunctions'), log: () => {}, maxInstances })
try {
  const app = tcb.init({ env: emulator.env, secretId: emulator.secretId, secretKey: emulator.secretKey, serviceUrl: `${emulator.url}/admin` })
  const cloud = createWxCloudBridge({ url: emulator.url, openid: 'oBench', appid: 'wxBench' })
  await measure('node-sdk', (index) => app.callFunction({ name: 'echo', data: { index } }))
  await measure('wx.cloud bridge', (index) => cloud.callFunction({ name: 'echo', data: { index } }))
} finally {
  await emulator.close()
}
// node-sdk probes a cloud metadata host on every call; offline, those DNS look-ups would keep the process alive.
process.exit(0)

async function measure(label, call) {
  const burst = () => Promise.all(Array.from({ length: 200 }, (_, index) => call(index)))
  await burst() // warm the instances
  const started = performance.now()
  for (let round = 0; round < rounds; round++) await burst()
  const seconds = (performance.now() - started) / 1000
  console.log(`${label}: ${rounds} × 200 concurrent calls, ≤${maxInstances} instances → ${Math.round((rounds * 200) / seconds)} calls/s (${Math.round((seconds * 1000) / rounds)} ms per 200)`)
}
