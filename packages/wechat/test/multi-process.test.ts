import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokenManager } from '../src/tokens/access-token-manager'
import { createFileTokenStore } from '../src/tokens/file-token-store'
import { createRedisTokenStore } from '../src/redis/redis-token-store'
import type { TokenStore } from '../src/tokens/token-store'
import { APP, startEmulatedWeChat } from './emulated-wechat'
import { startRedisServer, type RedisServer } from './redis-server'
import { assertBuilt, startTokenWorker, type TokenWorker, type TokenWorkerConfig } from './token-workers'

let redis: RedisServer
let folder: string
const started: TokenWorker[] = []

beforeAll(async () => {
  assertBuilt()
  redis = await startRedisServer()
  folder = mkdtempSync(path.join(tmpdir(), 'page-module-multi-process-'))
})
afterAll(async () => {
  try {
    for (const worker of started)
      if (worker.child.exitCode === null && worker.child.signalCode === null && worker.child.pid !== undefined)
        process.kill(worker.child.pid, 'SIGKILL')
    await redis?.stop()
  } finally {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  }
})

/** A promise with its resolve function, to hold the emulated WeChat's answer. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {}
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

type StoreKind = 'redis' | 'file'

function locationOf(kind: StoreKind, name: string): { location: string; prefix: string } {
  return kind === 'redis' ? { location: redis.url, prefix: name } : { location: path.join(folder, `${name}.json`), prefix: name }
}

function openStore(kind: StoreKind, name: string): TokenStore {
  const { location, prefix } = locationOf(kind, name)
  return kind === 'redis' ? createRedisTokenStore({ url: location, prefix }) : createFileTokenStore(location)
}

describe.each([
  ['redis', 4],
  ['file', 2],
] as const)('%s store across processes', (kind, processes) => {
  it(`${processes} processes × 250 concurrent getAccessToken() → exactly one fetch, one token`, async () => {
    // WeChat holds its answer until every process has tried the lock, so none can see a stored token early.
    const everyoneTried = gate()
    const wechat = await startEmulatedWeChat({ beforeIssue: () => everyoneTried.promise })
    const config: TokenWorkerConfig = {
      store: kind,
      ...locationOf(kind, `crowd-${kind}`),
      apiBaseUrl: wechat.apiBaseUrl,
      ...APP,
      calls: 250,
      lockTtlMs: 15_000,
    }
    const workers = Array.from({ length: processes }, () => startTokenWorker(config))
    started.push(...workers)
    const attempts = await Promise.all(workers.map((worker) => worker.lockAttempt))
    everyoneTried.open()
    const results = await Promise.all(workers.map((worker) => worker.result))
    expect(attempts.filter((attempt) => attempt === 'acquired')).toHaveLength(1)
    expect(new Set(results.flat()).size).toBe(1)
    expect(results.every((tokens) => tokens.length === 1)).toBe(true)
    expect(wechat.emulator.counters).toMatchObject({ tokenRequests: 1, tokensIssued: 1 })
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual(workers.map(() => 0))
  })

  it('a lock holder killed mid-fetch is taken over once its lock expires', async () => {
    const fetchArrived = gate()
    const wechat = await startEmulatedWeChat({
      beforeIssue: () => {
        if (wechat.emulator.counters.tokenRequests > 1) return
        fetchArrived.open()
        // Held until the holder is dead.
        return killed.promise
      },
    })
    const killed = gate()
    const name = `killed-${kind}`
    const holder = startTokenWorker({
      store: kind,
      ...locationOf(kind, name),
      apiBaseUrl: wechat.apiBaseUrl,
      ...APP,
      calls: 1,
      lockTtlMs: 2000,
    })
    started.push(holder)
    expect(await holder.lockAttempt).toBe('acquired')
    await fetchArrived.promise
    process.kill(holder.child.pid!, 'SIGKILL')
    await holder.exited
    killed.open()

    const shared = openStore(kind, name)
    const lockAnswers: boolean[] = []
    const store: TokenStore = {
      ...shared,
      async acquireLock(appId, ttlMs) {
        const lock = await shared.acquireLock(appId, ttlMs)
        lockAnswers.push(lock !== undefined)
        return lock
      },
    }
    try {
      const manager = createAccessTokenManager({ ...APP, store, apiBaseUrl: wechat.apiBaseUrl, lockTtlMs: 2000, backgroundRefresh: false })
      const token = await manager.getAccessToken()
      expect(lockAnswers[0]).toBe(false)
      expect(lockAnswers.at(-1)).toBe(true)
      expect((await shared.get(APP.appId))?.accessToken).toBe(token)
      expect(wechat.emulator.checkToken(token).errcode).toBe(0)
      expect(wechat.emulator.counters.tokenRequests).toBe(2)
    } finally {
      await shared.close?.()
    }
  })
})
