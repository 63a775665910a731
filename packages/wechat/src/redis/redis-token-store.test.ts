import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { APP, startEmulatedWeChat } from '../../test/emulated-wechat'
import { freePort } from '../../test/loopback'
import { startRedisServer, type RedisServer } from '../../test/redis-server'
import { tokenStoreContract } from '../../test/token-store-contract'
import { createRedisTokenStore, openRedisTokenStore } from './redis-token-store'
import { createAccessTokenManager } from '../tokens/access-token-manager'
import type { TokenStore } from '../tokens/token-store'

let redis: RedisServer
const opened: TokenStore[] = []
let count = 0

beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  for (const store of opened) await store.close?.()
  await redis?.stop()
})

describe('createRedisTokenStore', () => {
  tokenStoreContract(async () => {
    count += 1
    const store = createRedisTokenStore({ url: redis.url, prefix: `contract-${count}` })
    opened.push(store)
    return {
      store,
      passLockTtl: (ttlMs) => new Promise((resolve) => setTimeout(resolve, ttlMs + 50)),
    }
  })

  it('namespaces keys by prefix and appid, and leaves a client it was given open', async () => {
    const client = new Redis(redis.url)
    try {
      const store = createRedisTokenStore({ client, prefix: 'tenant-a' })
      await store.compareAndSet('wxa', { accessToken: 'T1', obtainedAt: 1, expiresAt: 2 }, 0)
      const lock = await store.acquireLock('wxa', 10_000)
      expect((await client.keys('tenant-a:*')).sort()).toEqual(['tenant-a:wxa:lock', 'tenant-a:wxa:token'])
      expect(await createRedisTokenStore({ client, prefix: 'tenant-b' }).get('wxa')).toBeUndefined()
      await lock?.release()
      await store.close?.()
      expect(await client.ping()).toBe('PONG')
    } finally {
      client.disconnect()
    }
  })
})

describe('createRedisTokenStore when Redis is down', () => {
  it('fails each call fast with a typed, retryable error and reports no unhandled error event', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const store = createRedisTokenStore({ url: `redis://:pass-word-1@127.0.0.1:${await freePort()}` })
    try {
      for (const call of [() => store.get('wxa'), () => store.acquireLock('wxa', 1000), () => store.expire('wxa', 'T')]) {
        const error = await call().catch((caught: unknown) => caught)
        expect(error).toMatchObject({ name: 'PageModuleError', code: 'WECHAT_TOKEN_STORE_UNAVAILABLE', retryable: true })
        expect(String((error as Error).message)).not.toContain('pass-word-1')
      }
      expect(printed.mock.calls.flat().join('\n')).not.toContain('Unhandled error event')
    } finally {
      await store.close?.()
      printed.mockRestore()
    }
  })

  it('fails with the typed error once Redis stops under a working store', async () => {
    const own = await startRedisServer()
    const store = createRedisTokenStore({ url: own.url })
    try {
      await store.compareAndSet('wxa', { accessToken: 'T1', obtainedAt: 1, expiresAt: 2 }, 0)
      await own.stop()
      await expect(store.get('wxa')).rejects.toMatchObject({ code: 'WECHAT_TOKEN_STORE_UNAVAILABLE' })
    } finally {
      await store.close?.()
      await own.stop()
    }
  })

  it('says "install ioredis" when ioredis is missing', async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'ioredis'"), { code: 'ERR_MODULE_NOT_FOUND' }))
    const store = openRedisTokenStore({ url: redis.url }, missing)
    await expect(store.get('wxa')).rejects.toMatchObject({
      code: 'MISSING_DEPENDENCY',
      message: expect.stringContaining('install ioredis'),
    })
  })

  it('closes the connection it opened when the manager using it closes', async () => {
    const wechat = await startEmulatedWeChat()
    const admin = new Redis(redis.url)
    try {
      await admin.client('SETNAME', 'admin')
      const connections = async () =>
        String(await admin.client('LIST'))
          .trim()
          .split('\n').length
      const before = await connections()
      const manager = createAccessTokenManager({
        ...APP,
        apiBaseUrl: wechat.apiBaseUrl,
        now: wechat.now,
        store: createRedisTokenStore({ url: redis.url, prefix: 'closing' }),
      })
      await manager.getAccessToken()
      expect(await connections()).toBe(before + 1)
      await manager.close()
      await vi.waitFor(async () => expect(await connections()).toBe(before))
    } finally {
      admin.disconnect()
    }
  })
})
