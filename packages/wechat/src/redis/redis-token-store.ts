import { Redis } from 'ioredis'
import { PageModuleError } from '@page-module/core'
import { assertAppId, createOwnerId, type StoredToken, type TokenStore } from '../tokens/token-store'

export type RedisTokenStoreOptions = (
  | { /** `redis://[:password@]host:port/db`; the store opens and closes this connection itself. */ readonly url: string }
  | { /** A connection you own (the store never closes it). */ readonly client: Redis }
) & {
  /** Namespace of every key: `<prefix>:<appid>:token` and `<prefix>:<appid>:lock`. Default `page-module:wechat`. */
  readonly prefix?: string
}

// Each script touches one key, so it runs atomically on a single Redis and on a cluster alike.
const compareAndSetScript = `
local version = redis.call('HGET', KEYS[1], 'version')
if version and tonumber(version) ~= tonumber(ARGV[4]) then
  local current = redis.call('HMGET', KEYS[1], 'accessToken', 'expiresAt', 'obtainedAt', 'version')
  return {0, current[1], current[2], current[3], current[4]}
end
local next = tostring(tonumber(ARGV[4]) + 1)
redis.call('HSET', KEYS[1], 'accessToken', ARGV[1], 'expiresAt', ARGV[2], 'obtainedAt', ARGV[3], 'version', next)
return {1, ARGV[1], ARGV[2], ARGV[3], next}
`

const expireScript = `
if redis.call('HGET', KEYS[1], 'accessToken') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'expiresAt') == '0' then return 0 end
redis.call('HSET', KEYS[1], 'expiresAt', '0')
return 1
`

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

/**
 * Tokens in Redis (ioredis), shared by every process and machine that uses the same Redis. The fetch lock is
 * `SET NX PX` (it expires even if its holder crashes) released only by its owner; compare-and-set and
 * compare-and-expire run as Lua scripts.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const owned = typeof options === 'object' && options !== null && 'url' in options
  assertRedisOptions(options, owned)
  const prefix = options.prefix ?? 'page-module:wechat'
  const client = owned ? new Redis(options.url) : options.client
  const tokenKey = (appId: string) => {
    assertAppId(appId)
    return `${prefix}:${appId}:token`
  }

  return {
    async get(appId) {
      const fields = await client.hgetall(tokenKey(appId))
      return fields['accessToken'] === undefined
        ? undefined
        : tokenOf([fields['accessToken'], fields['expiresAt'], fields['obtainedAt'], fields['version']])
    },
    async compareAndSet(appId, token, expectedVersion) {
      const reply = (await client.eval(
        compareAndSetScript,
        1,
        tokenKey(appId),
        token.accessToken,
        String(token.expiresAt),
        String(token.obtainedAt),
        String(expectedVersion),
      )) as [number, string | null, string | null, string | null, string | null]
      return { written: reply[0] === 1, current: tokenOf([reply[1], reply[2], reply[3], reply[4]]) }
    },
    async expire(appId, accessToken) {
      return (await client.eval(expireScript, 1, tokenKey(appId), accessToken)) === 1
    },
    async acquireLock(appId, ttlMs) {
      assertAppId(appId)
      const lockKey = `${prefix}:${appId}:lock`
      const owner = createOwnerId()
      const acquired = await client.set(lockKey, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')
      if (acquired !== 'OK') return undefined
      return {
        async release() {
          await client.eval(releaseScript, 1, lockKey, owner)
        },
      }
    },
    async close() {
      if (owned) await client.quit()
    },
  }
}

function tokenOf(fields: ReadonlyArray<string | null | undefined>): StoredToken {
  const [accessToken, expiresAt, obtainedAt, version] = fields
  return { accessToken: accessToken ?? '', expiresAt: Number(expiresAt), obtainedAt: Number(obtainedAt), version: Number(version) }
}

function assertRedisOptions(options: RedisTokenStoreOptions, owned: boolean): void {
  const refuse = (message: string): never => {
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message, requestSent: false })
  }
  if (owned) {
    const url = (options as { url: unknown }).url
    if (typeof url !== 'string' || !/^rediss?:\/\/./.test(url))
      refuse(
        `createRedisTokenStore url ${JSON.stringify(url)} is not a Redis URL — use redis://[:password@]host:port/db (or rediss:// for TLS)`,
      )
  } else {
    const client = (options as { client?: { eval?: unknown; hgetall?: unknown } } | null)?.client
    if (typeof client?.eval !== 'function' || typeof client.hgetall !== 'function')
      refuse('createRedisTokenStore needs { url } or { client } — client must be an ioredis connection (new Redis(...))')
  }
}
