import type { Redis, RedisOptions } from 'ioredis'
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
 * How the store's own connection fails fast when Redis is down: a command waits for at most one reconnection
 * (ioredis's default is 20, about 73 s) and 2 s for an answer.
 */
const OWNED_CONNECTION: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  commandTimeout: 2000,
  retryStrategy: (times) => Math.min(times * 100, 2000),
}

/** Loads ioredis (an optional peer dependency) only when a store opens its own connection. */
export type LoadIoredis = () => Promise<{ Redis: new (url: string, options: RedisOptions) => Redis }>

const loadIoredis: LoadIoredis = () => import('ioredis')

/**
 * Tokens in Redis (ioredis), shared by every process and machine that uses the same Redis. The fetch lock is
 * `SET NX PX` (it expires even if its holder crashes) released only by its owner; compare-and-set and
 * compare-and-expire run as Lua scripts. A Redis that does not answer fails a store call within seconds with
 * `WECHAT_TOKEN_STORE_UNAVAILABLE`; the connection the store opened reports nothing as an unhandled event.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  return openRedisTokenStore(options, loadIoredis)
}

/** `createRedisTokenStore` with the way ioredis is loaded given (tests load a missing one). */
export function openRedisTokenStore(options: RedisTokenStoreOptions, load: LoadIoredis): TokenStore {
  const owned = typeof options === 'object' && options !== null && 'url' in options
  assertRedisOptions(options, owned)
  const prefix = options.prefix ?? 'page-module:wechat'
  const where = owned ? hostOf(options.url) : 'the given Redis client'
  let connection: Promise<Redis> | undefined
  let closed = false
  const connect = (): Promise<Redis> =>
    (connection ??= owned
      ? load().then(
          ({ Redis: RedisClient }) => {
            const client = new RedisClient(options.url, OWNED_CONNECTION)
            // Connection errors reach callers as typed errors; without a listener ioredis prints each one as unhandled.
            client.on('error', () => undefined)
            return client
          },
          (error: unknown) => {
            connection = undefined
            throw new PageModuleError({
              code: 'MISSING_DEPENDENCY',
              message: 'the Redis token store needs ioredis — install ioredis (npm install ioredis)',
              requestSent: false,
              cause: error,
            })
          },
        )
      : Promise.resolve(options.client))
  const tokenKey = (appId: string) => {
    assertAppId(appId)
    return `${prefix}:${appId}:token`
  }
  /** Runs a command, turning Redis and connection failures into one typed, retryable error. */
  async function command<Result>(run: (client: Redis) => Promise<Result>): Promise<Result> {
    const client = await connect()
    if (closed) throw unavailable(where, new Error('the store was closed'))
    try {
      return await run(client)
    } catch (error) {
      throw unavailable(where, error)
    }
  }

  const store: TokenStore = {
    async get(appId) {
      const key = tokenKey(appId)
      const fields = await command((client) => client.hgetall(key))
      return fields['accessToken'] === undefined
        ? undefined
        : tokenOf([fields['accessToken'], fields['expiresAt'], fields['obtainedAt'], fields['version']])
    },
    async compareAndSet(appId, token, expectedVersion) {
      const key = tokenKey(appId)
      const reply = (await command((client) =>
        client.eval(
          compareAndSetScript,
          1,
          key,
          token.accessToken,
          String(token.expiresAt),
          String(token.obtainedAt),
          String(expectedVersion),
        ),
      )) as [number, string | null, string | null, string | null, string | null]
      return { written: reply[0] === 1, current: tokenOf([reply[1], reply[2], reply[3], reply[4]]) }
    },
    async expire(appId, accessToken) {
      const key = tokenKey(appId)
      return (await command((client) => client.eval(expireScript, 1, key, accessToken))) === 1
    },
    async acquireLock(appId, ttlMs) {
      assertAppId(appId)
      const lockKey = `${prefix}:${appId}:lock`
      const owner = createOwnerId()
      const acquired = await command((client) => client.set(lockKey, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'))
      if (acquired !== 'OK') return undefined
      return {
        async release() {
          await command((client) => client.eval(releaseScript, 1, lockKey, owner))
        },
      }
    },
    async close() {
      if (!owned || closed) return
      closed = true
      const client = await connection?.catch(() => undefined)
      // quit() waits for Redis to answer; a Redis that is down would hold the process open.
      client?.disconnect()
    },
  }
  return store
}

function unavailable(where: string, cause: unknown): PageModuleError {
  if (PageModuleError.isInstance(cause)) return cause
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new PageModuleError({
    code: 'WECHAT_TOKEN_STORE_UNAVAILABLE',
    message: `the Redis token store at ${where} failed (${reason}) — check that Redis runs and is reachable`,
    retryable: true,
    cause,
  })
}

/** host:port of a Redis URL, without its password. */
function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the configured URL'
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
        `createRedisTokenStore url ${JSON.stringify(url)} is not a Redis URL ` +
          `— use redis://[:password@]host:port/db (or rediss:// for TLS)`,
      )
  } else {
    const client = (options as { client?: { eval?: unknown; hgetall?: unknown } } | null)?.client
    if (typeof client?.eval !== 'function' || typeof client.hgetall !== 'function')
      refuse('createRedisTokenStore needs { url } or { client } — client must be an ioredis connection (new Redis(...))')
  }
}
