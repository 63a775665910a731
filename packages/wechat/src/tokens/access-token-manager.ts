import { PageModuleError } from '@page-module/core'
import { fetchAccessToken } from './fetch-access-token'
import { createMemoryTokenStore } from './memory-token-store'
import type { FetchFunction } from '../client/request-json'
import { isFresh, isUsable, refreshAtOf } from './token-freshness'
import { assertAppId, type AccessToken, type StoredToken, type TokenStore } from './token-store'
import { runWithAccessToken, type AccessTokenProvider } from './with-access-token'

/** WeChat's API host; set `apiBaseUrl` to a proxy (fixed egress IP) or an emulator instead. */
export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com'

export interface AccessTokenManagerOptions {
  readonly appId: string
  readonly appSecret: string
  /** Shared by every process using this appid; a memory store (this process only) by default. */
  readonly store?: TokenStore
  readonly apiBaseUrl?: string
  /** Use `POST /cgi-bin/stable_token` (force_refresh: false) instead of `GET /cgi-bin/token`. */
  readonly stable?: boolean
  /** Refresh this long before expiry, inside the 5 minutes WeChat keeps the old token valid. Default 300. */
  readonly refreshAheadSeconds?: number
  /** Refresh in the background when a token is due (the timer never keeps the process alive). Default true. */
  readonly backgroundRefresh?: boolean
  /** How long a fetcher holds the appid's lock at most, even if it dies. Default 15 000 ms. */
  readonly lockTtlMs?: number
  /** Timeout of one call to WeChat's token endpoint; kept below `lockTtlMs`. Default 10 000 ms. */
  readonly requestTimeoutMs?: number
  readonly fetch?: FetchFunction
  /** The clock tokens expire by. */
  readonly now?: () => number
  /** A background refresh failed (the next `getAccessToken` reports it again). */
  readonly onBackgroundError?: (error: unknown) => void
  /** `close()` closes the store too (the connection a Redis store opened). Default true; false for a store shared by several managers. */
  readonly closeStore?: boolean
}

export interface AccessTokenManager extends AccessTokenProvider {
  /** Like `getAccessToken`, with the token's expiry and fetch time. */
  getToken(): Promise<AccessToken>
  /** Stops the background refresh timer and closes the store (unless `closeStore: false`), so the process can exit. */
  close(): Promise<void>
  /** The configuration, without the secret. */
  toJSON(): { appId: string; apiBaseUrl: string; stable: boolean }
}

// Tokens the process saw refused; remembered so a refresh that began before the refusal is not handed out.
const REJECTED_MEMORY = 8
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * access_tokens for one appid: cached while fresh, fetched by one process at a time across every process
 * sharing the store, refreshed ahead of expiry, replaced once when WeChat refuses one.
 */
export function createAccessTokenManager(options: AccessTokenManagerOptions): AccessTokenManager {
  assertAppId(options.appId)
  if (typeof options.appSecret !== 'string' || options.appSecret === '') {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: `appSecret for appid ${options.appId} is missing — pass the AppSecret from 开发管理 → 开发设置.`,
      requestSent: false,
    })
  }
  const { appId, appSecret } = options
  const store = options.store ?? createMemoryTokenStore()
  const apiBaseUrl = (options.apiBaseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, '')
  const stable = options.stable ?? false
  const refreshAheadMs = (options.refreshAheadSeconds ?? 300) * 1000
  const lockTtlMs = options.lockTtlMs ?? 15_000
  const requestTimeoutMs = Math.min(options.requestTimeoutMs ?? 10_000, lockTtlMs)
  const fetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? Date.now
  const rejected: string[] = []
  // stable_token hands back a refused token until it expires; meanwhile tokens are fetched in normal mode.
  let stableRefusedUntil = 0
  let local: StoredToken | undefined
  let inflight: Promise<StoredToken> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  // Plain booleans, not type guards: a false answer says nothing about whether a token exists.
  const accepted = (token: StoredToken | undefined, time: number): boolean => isUsable(token, time) && !rejected.includes(token.accessToken)
  const fresh = (token: StoredToken | undefined, time: number): boolean => accepted(token, time) && isFresh(token, time, refreshAheadMs)

  function refresh(): Promise<StoredToken> {
    inflight ??= obtain().finally(() => {
      inflight = undefined
    })
    return inflight
  }

  async function obtain(): Promise<StoredToken> {
    // Waiting is measured on the real clock: an injected clock may stand still.
    const deadline = Date.now() + 2 * lockTtlMs + requestTimeoutMs
    for (;;) {
      const stored = await store.get(appId)
      if (stored !== undefined && fresh(stored, now())) return adopt(stored)
      const lock = await store.acquireLock(appId, lockTtlMs)
      if (lock !== undefined) {
        try {
          return adopt(await fetchUnderLock())
        } finally {
          await lock.release().catch(() => undefined)
        }
      }
      if (Date.now() > deadline) {
        throw new PageModuleError({
          code: 'WECHAT_TOKEN_LOCK_TIMEOUT',
          message:
            `another process held the token lock of appid ${appId} and wrote no fresh token — check that process, ` +
            `or the store's connection.`,
          retryable: true,
        })
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40))
    }
  }

  async function fetchUnderLock(): Promise<StoredToken> {
    const current = await store.get(appId)
    if (current !== undefined && fresh(current, now())) return current
    const token = await fetchFromWeChat()
    const result = await store.compareAndSet(appId, token, current?.version ?? 0)
    if (result.written || accepted(result.current, now())) return result.current
    // A newer writer won but its token is already refused; ours is valid at WeChat, so use it here.
    return { ...token, version: result.current.version }
  }

  /** At most two calls to WeChat: a refused stable token is fetched again in normal mode, once. */
  async function fetchFromWeChat(): Promise<AccessToken> {
    const fetchOnce = (inStableMode: boolean) =>
      fetchAccessToken({ appId, appSecret, apiBaseUrl, stable: inStableMode, fetch, timeoutMs: requestTimeoutMs, now })
    if (!stable || stableRefusedUntil > now()) return fetchOnce(false)
    const token = await fetchOnce(true)
    if (!rejected.includes(token.accessToken)) return token
    stableRefusedUntil = token.expiresAt
    return fetchOnce(false)
  }

  function adopt(token: StoredToken): StoredToken {
    local = token
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (closed || options.backgroundRefresh === false) return token
    const delay = Math.min(Math.max(refreshAtOf(token, refreshAheadMs) - now(), 0), MAX_TIMER_MS)
    timer = setTimeout(backgroundRefresh, delay)
    timer.unref?.()
    return token
  }

  function backgroundRefresh(): void {
    refresh().catch((error: unknown) => options.onBackgroundError?.(error))
  }

  const manager: AccessTokenManager = {
    appId,
    async getToken() {
      const cached = local
      if (cached !== undefined && fresh(cached, now())) return cached
      if (cached !== undefined && accepted(cached, now())) {
        backgroundRefresh()
        return cached
      }
      // A refresh that began before an invalidation may bring the refused token back: ask again (bounded).
      for (let round = 0; round < 3; round += 1) {
        const token = await refresh()
        if (accepted(token, now())) return token
      }
      throw new PageModuleError({
        code: 'WECHAT_INVALID_TOKEN',
        message:
          `the token store of appid ${appId} keeps answering a token WeChat refused — check that nothing else ` +
          `writes tokens for this appid.`,
        retryable: true,
      })
    },
    async getAccessToken() {
      return (await manager.getToken()).accessToken
    },
    async invalidate(accessToken) {
      if (!rejected.includes(accessToken)) rejected.push(accessToken)
      if (rejected.length > REJECTED_MEMORY) rejected.shift()
      if (local?.accessToken === accessToken) local = undefined
      return store.expire(appId, accessToken)
    },
    withAccessToken(fn) {
      return runWithAccessToken(manager, fn)
    },
    async close() {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      if (options.closeStore !== false) await store.close?.()
    },
    toJSON() {
      return { appId, apiBaseUrl, stable }
    },
  }
  return manager
}
