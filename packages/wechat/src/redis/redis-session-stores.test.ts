import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedisServer, type RedisServer } from '../../test/redis-server'
import { createWeChatSessions } from '../auth/wechat-sessions'
import { createRedisOAuthStateStore, createRedisSessionStore } from './redis-session-stores'

let redis: RedisServer
let client: Redis
beforeAll(async () => {
  redis = await startRedisServer()
  client = new Redis(redis.url)
})
afterAll(async () => {
  await client?.quit()
  await redis?.stop()
})

const SECRET = 'a-shared-secret-of-every-server-0123456789'

describe('createRedisSessionStore', () => {
  it('lets a second server verify a token the first issued, keeps session_key out of it, and expires the key with the token', async () => {
    const store = createRedisSessionStore({ client, prefix: 'sessions-test' })
    const first = createWeChatSessions({ secret: SECRET, store })
    const second = createWeChatSessions({ secret: SECRET, store: createRedisSessionStore({ client, prefix: 'sessions-test' }) })
    const { token } = await first.issue({ openid: 'oUser', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==', via: 'mini-program' })
    expect(await second.verify(token)).toMatchObject({ openid: 'oUser', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' })
    const id = (await second.verify(token)).id
    const ttl = await client.pttl(`sessions-test:session:${id}`)
    expect(ttl).toBeGreaterThan(6 * 86_400_000)
    await second.revoke(token)
    await expect(first.verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })

  it('refuses options without an ioredis client', () => {
    expect(() => createRedisSessionStore({} as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})

describe('createRedisOAuthStateStore', () => {
  it('gives a state back once, to any server, and stores only its hash as the key', async () => {
    const store = createRedisOAuthStateStore({ client, prefix: 'states-test' })
    await store.put('StateOne123', { returnTo: '/orders', scope: 'snsapi_base' }, 60_000)
    expect(await client.keys('states-test:*')).toEqual([expect.stringMatching(/^states-test:oauth-state:[0-9a-f]{64}$/)])
    const other = createRedisOAuthStateStore({ client, prefix: 'states-test' })
    expect(await other.take('StateOne123')).toEqual({ returnTo: '/orders', scope: 'snsapi_base' })
    expect(await store.take('StateOne123')).toBeUndefined()
    expect(await store.take('NeverIssued1')).toBeUndefined()
  })
})
