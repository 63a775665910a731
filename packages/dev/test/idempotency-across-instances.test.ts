import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createEnvelope, RESERVED_MODULE_CODES } from '@page-module/core'
import { createCloudDatabaseIdempotencyStore } from '@page-module/host'
import { createCloudDatabase } from '@page-module/wechat/database'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { mountWeChatApi } from '../src/emulator/wechat/mount-wechat-api'

const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-idempotency-'))
let emulator: Emulator
let database: ReturnType<typeof createCloudDatabase>

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'idem-env', dataDir, log: () => {}, maxInstances: 3 })
  const wechat = mountWeChatApi(emulator)
  database = createCloudDatabase({ env: emulator.env, appId: wechat.appId, appSecret: wechat.appSecret }, { apiBaseUrl: wechat.apiBaseUrl })
})
afterAll(async () => {
  await emulator.close()
  rmSync(dataDir, { recursive: true, force: true })
})
beforeEach(() => emulator.database.clear())

function slowOnce(key: string, requestId: string) {
  const envelope = createEnvelope({
    module: 'tcb:Idempotent',
    method: 'slowOnce',
    requestId,
    client: { name: 'test', version: '1' },
    timestamp: Date.now(),
    data: { key },
    idempotencyKey: key,
  })
  return emulator.invokeFunction('idempotent', envelope, { openid: 'o-user-1', appid: 'wx-app' })
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}

const runsOf = (key: string) =>
  emulator.database.hasCollection('runs') ? emulator.database.read('runs').filter((run) => run.key === key) : []

describe('defineModule on several instances: idempotency keys kept in the cloud database', () => {
  it('runs the method once when a retry arrives while the first attempt runs on another instance', async () => {
    emulator.database.createCollection('runs')
    emulator.database.createCollection('releases')
    const first = slowOnce('pay-1', 'req-first')
    await until(() => runsOf('pay-1').length === 1)
    // The first instance is busy, so the emulator runs the retry in a second instance (a second process).
    const retry = await slowOnce('pay-1', 'req-retry')
    expect(retry).toMatchObject({ ok: true, result: { code: RESERVED_MODULE_CODES.REQUEST_IN_PROGRESS, requestId: 'req-retry' } })
    emulator.database.insert('releases', [{ key: 'pay-1' }])
    const answered = await first
    expect(answered).toMatchObject({ ok: true, result: { code: 0, data: { ranIn: expect.any(Number) } } })
    const later = await slowOnce('pay-1', 'req-later')
    expect(later).toMatchObject({
      ok: true,
      result: { code: 0, data: (answered as { result: { data: unknown } }).result.data, requestId: 'req-later' },
    })
    expect(runsOf('pay-1')).toHaveLength(1)
    expect(emulator.database.read('page_module_idempotency')).toHaveLength(1)
  })
})

describe('createCloudDatabaseIdempotencyStore over the HTTP API client', () => {
  const response = { code: 0, data: { ok: true }, requestId: 'r1' }

  it('claims once, answers running, then the stored answer; creates its collection on first use', async () => {
    const store = createCloudDatabaseIdempotencyStore({ database })
    expect(await store.claim('caller\nmodule\nkey', 60_000)).toEqual({ state: 'claimed' })
    expect(emulator.database.hasCollection('page_module_idempotency')).toBe(true)
    const otherInstance = createCloudDatabaseIdempotencyStore({ database })
    expect(await otherInstance.claim('caller\nmodule\nkey', 60_000)).toEqual({ state: 'running' })
    await store.complete('caller\nmodule\nkey', response, 60_000)
    expect(await otherInstance.claim('caller\nmodule\nkey', 60_000)).toEqual({ state: 'done', response })
  })

  it("takes over a dead instance's claim once its lease ends, and an expired answer", async () => {
    let time = 1_000_000
    const dead = createCloudDatabaseIdempotencyStore({ database, leaseMs: 30_000, now: () => time })
    const alive = createCloudDatabaseIdempotencyStore({ database, leaseMs: 30_000, now: () => time })
    expect(await dead.claim('k', 3_600_000)).toEqual({ state: 'claimed' })
    time += 29_000
    expect(await alive.claim('k', 3_600_000)).toEqual({ state: 'running' })
    time += 2_000
    expect(await alive.claim('k', 3_600_000)).toEqual({ state: 'claimed' })
    expect(await dead.claim('k', 3_600_000)).toEqual({ state: 'running' })
    await alive.complete('k', response, 60_000)
    expect(await dead.claim('k', 3_600_000)).toEqual({ state: 'done', response })
    time += 61_000
    expect(await dead.claim('k', 3_600_000)).toEqual({ state: 'claimed' })
  })

  it('lets exactly one of many simultaneous claims win', async () => {
    const stores = Array.from({ length: 6 }, () => createCloudDatabaseIdempotencyStore({ database }))
    const claims = await Promise.all(stores.map((store) => store.claim('race', 60_000)))
    expect(claims.filter((claim) => claim.state === 'claimed')).toHaveLength(1)
  })

  it('removes expired records as it completes calls', async () => {
    let time = 5_000_000
    const store = createCloudDatabaseIdempotencyStore({ database, sweepEvery: 2, now: () => time })
    await store.claim('old', 1_000)
    await store.complete('old', response, 1_000)
    time += 2_000
    await store.claim('new', 60_000)
    await store.complete('new', response, 60_000)
    expect(emulator.database.read('page_module_idempotency')).toHaveLength(1)
    expect(await store.claim('new', 60_000)).toEqual({ state: 'done', response })
  })

  it('keeps only { code, msg } of an answer over the size bound', async () => {
    const store = createCloudDatabaseIdempotencyStore({ database, maxResponseBytes: 1024 })
    await store.claim('big', 60_000)
    await store.complete('big', { code: 0, data: 'x'.repeat(5000), requestId: 'r2' }, 60_000)
    const claim = await store.claim('big', 60_000)
    expect(claim).toMatchObject({ state: 'done', response: { code: 0, requestId: 'r2', msg: expect.stringContaining('ran once') } })
    expect(claim.state === 'done' && 'data' in claim.response).toBe(false)
  })
})
