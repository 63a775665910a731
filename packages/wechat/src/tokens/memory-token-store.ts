import { applyCompareAndSet, applyExpire, assertAppId, createOwnerId, type StoredToken, type TokenStore } from './token-store'

export interface MemoryTokenStoreOptions {
  /** The clock that expires locks; `Date.now` by default. */
  readonly now?: () => number
}

/** Tokens in this process only: single flight between the managers of one process, nothing shared beyond it. */
export function createMemoryTokenStore(options: MemoryTokenStoreOptions = {}): TokenStore {
  const now = options.now ?? Date.now
  const tokens = new Map<string, StoredToken>()
  const locks = new Map<string, { owner: string; expiresAt: number }>()

  return {
    async get(appId) {
      assertAppId(appId)
      return tokens.get(appId)
    },
    async compareAndSet(appId, token, expectedVersion) {
      assertAppId(appId)
      const result = applyCompareAndSet(tokens.get(appId), token, expectedVersion)
      if (result.written) tokens.set(appId, result.current)
      return result
    },
    async expire(appId, accessToken) {
      assertAppId(appId)
      const expired = applyExpire(tokens.get(appId), accessToken)
      if (expired !== undefined) tokens.set(appId, expired)
      return expired !== undefined
    },
    async acquireLock(appId, ttlMs) {
      assertAppId(appId)
      const held = locks.get(appId)
      if (held !== undefined && held.expiresAt > now()) return undefined
      const owner = createOwnerId()
      locks.set(appId, { owner, expiresAt: now() + ttlMs })
      return {
        async release() {
          if (locks.get(appId)?.owner === owner) locks.delete(appId)
        },
      }
    },
  }
}
