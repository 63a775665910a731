import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedisServer, type RedisServer } from '../../test/redis-server'
import { tokenStoreContract } from '../../test/token-store-contract'
import { createRedisTokenStore } from './redis-token-store'
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
