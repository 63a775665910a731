import { createHash, timingSafeEqual } from 'node:crypto'
import type { Redis } from 'ioredis'
import { PageModuleError } from '@page-module/core'
import type { SessionStore, StoredSession } from '../auth/session-store'
import type { OAuthStateStore, PendingAuthorization } from '../auth/oauth/oauth-state-store'

export interface RedisSessionStoreOptions {
  /** A connection you own (the store never closes it). */
  readonly client: Redis
  /** Namespace of every key: `<prefix>:session:<id>`, `<prefix>:oauth-state:<sha256>`. Default `page-module:wechat`. */
  readonly prefix?: string
}

function assertClient(options: RedisSessionStoreOptions, name: string): void {
  const client = (options as { client?: { get?: unknown; set?: unknown } } | null)?.client
  if (typeof client?.get !== 'function' || typeof client.set !== 'function') {
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message: `${name} needs { client }: an ioredis connection (new Redis(url)).` })
  }
}

/** Sessions in Redis (`SET PX`), shared by every server of the app; an expired session disappears with its key. */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  assertClient(options, 'createRedisSessionStore')
  const { client } = options
  const key = (id: string) => `${options.prefix ?? 'page-module:wechat'}:session:${id}`
  return {
    async get(id) {
      const text = await client.get(key(id))
      return text === null ? undefined : (JSON.parse(text) as StoredSession)
    },
    async set(id, session, ttlMs) {
      await client.set(key(id), JSON.stringify(session), 'PX', Math.max(1, Math.ceil(ttlMs)))
    },
    async delete(id) {
      await client.del(key(id))
    },
  }
}

/**
 * OAuth states in Redis, keyed by their SHA-256; `take` is `GETDEL` (Redis 6.2+), so a state is accepted once across
 * servers, and the stored state is compared with the given one in constant time.
 */
export function createRedisOAuthStateStore(options: RedisSessionStoreOptions): OAuthStateStore {
  assertClient(options, 'createRedisOAuthStateStore')
  const { client } = options
  const key = (state: string) =>
    `${options.prefix ?? 'page-module:wechat'}:oauth-state:${createHash('sha256').update(state, 'utf8').digest('hex')}`
  return {
    async put(state, pending, ttlMs) {
      await client.set(key(state), JSON.stringify({ state, pending }), 'PX', Math.max(1, Math.ceil(ttlMs)))
    },
    async take(state) {
      const text = await client.getdel(key(state))
      if (text === null) return undefined
      const stored = JSON.parse(text) as { state: string; pending: PendingAuthorization }
      const given = Buffer.from(state, 'utf8')
      const kept = Buffer.from(stored.state, 'utf8')
      return given.length === kept.length && timingSafeEqual(given, kept) ? stored.pending : undefined
    },
  }
}
