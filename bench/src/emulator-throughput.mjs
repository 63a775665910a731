import path from 'node:path'
import { performance } from 'node:perf_hooks'
import tcb from '@cloudbase/node-sdk'
import { PageModule } from '@page-module/node'
import { createWxCloudBridge } from '@page-module/dev/wx-cloud-bridge'
import { startForkedServer } from './forked-server.mjs'
import { median } from './statistics.mjs'
import { DATA, envelopeFor, FUNCTION_NAME, METHOD, MODULE_ID } from './scenarios/bench-call.mjs'

/**
 * Calls per second the emulator sustains with isolated functions (each instance a process of its own, at most
 * `maxInstances`): bursts of `burst` concurrent calls to the echo module, from each client in turn, `rounds` times.
 */
export async function measureEmulatorThroughput({ burst, rounds, maxInstances }) {
  const emulator = await startForkedServer(path.join(import.meta.dirname, 'emulator-server.mjs'), [String(maxInstances)])
  const module = new PageModule(MODULE_ID, { ...emulator.credentials, env: emulator.env, serviceUrl: emulator.serviceUrl, environment: {} })
  try {
    const app = tcb.init({ ...emulator.credentials, env: emulator.env, serviceUrl: emulator.serviceUrl })
    const cloud = createWxCloudBridge({ url: emulator.url, openid: 'oBench', appid: 'wxBench' })
    let counter = 0
    const clients = [
      { name: '@page-module/node callMethod', call: () => module.callMethod(METHOD, DATA) },
      {
        name: '@cloudbase/node-sdk callFunction',
        call: () => app.callFunction({ name: FUNCTION_NAME, data: envelopeFor(`official-${++counter}`, Date.now()) }),
      },
      {
        name: 'wx.cloud bridge callFunction (mini-program path)',
        call: () => cloud.callFunction({ name: FUNCTION_NAME, data: envelopeFor(`bridge-${++counter}`, Date.now()) }),
      },
    ]
    const burstMs = clients.map(() => [])
    // The first burst starts every instance; it is not counted.
    for (const client of clients) await fire(client.call, burst)
    for (let round = 0; round < rounds; round++) {
      for (const [index, client] of clients.entries()) burstMs[index].push(await fire(client.call, burst))
    }
    return clients.map((client, index) => {
      const typicalMs = median(burstMs[index])
      return { client: client.name, burst, rounds, maxInstances, medianBurstMs: typicalMs, perSecond: burst / (typicalMs / 1000) }
    })
  } finally {
    await module.close()
    await emulator.stop()
  }
}

async function fire(call, count) {
  const started = performance.now()
  await Promise.all(Array.from({ length: count }, () => call()))
  return performance.now() - started
}
