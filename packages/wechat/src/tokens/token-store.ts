import { randomUUID } from 'node:crypto'
import { PageModuleError } from '@page-module/core'

/** An access_token as WeChat issued it. Times are milliseconds since the epoch. */
export interface AccessToken {
  readonly accessToken: string
  /** When WeChat stops accepting it (fetch time + `expires_in`). `0` once invalidated. */
  readonly expiresAt: number
  /** When it was fetched. */
  readonly obtainedAt: number
}

/** A token as stored: `version` grows by one with every write, so a late writer is detected. */
export interface StoredToken extends AccessToken {
  readonly version: number
}

export interface CompareAndSetResult {
  readonly written: boolean
  /** What the store holds afterwards: the new token, or the newer one that won. */
  readonly current: StoredToken
}

/** A held lock. `release` frees it only if it is still this holder's (a lock that expired and was taken over is left alone). */
export interface TokenLock {
  release(): Promise<void>
}

/**
 * Where tokens live, shared by every process that uses the same appid. Every method is atomic in the store:
 * that is what keeps a late writer from replacing a newer token and two fetchers from running at once.
 */
export interface TokenStore {
  get(appId: string): Promise<StoredToken | undefined>
  /** Writes `token` as version `expectedVersion + 1` only if the stored version is still `expectedVersion` or nothing is stored. */
  compareAndSet(appId: string, token: AccessToken, expectedVersion: number): Promise<CompareAndSetResult>
  /** Marks `accessToken` expired if it is still the stored token (compare-and-expire); true when it was. The version is kept. */
  expire(appId: string, accessToken: string): Promise<boolean>
  /** The fetch lock of an appid, held at most `ttlMs` even if its holder dies; undefined when someone else holds it. */
  acquireLock(appId: string, ttlMs: number): Promise<TokenLock | undefined>
  /** Closes connections the store opened itself. */
  close?(): Promise<void>
}

const appIdPattern = /^[A-Za-z0-9_-]{1,64}$/

/** AppIds become file names and Redis keys: only letters, digits, `_` and `-` are accepted. */
export function assertAppId(appId: unknown): asserts appId is string {
  if (typeof appId !== 'string' || !appIdPattern.test(appId)) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message:
        `appId ${JSON.stringify(appId)} is not a valid appid ` + `— pass the AppID from 开发管理 → 开发设置 (letters, digits, _ and -).`,
      requestSent: false,
    })
  }
}

/** A lock owner id: unguessable, so releasing checks it is still ours. */
export function createOwnerId(): string {
  return randomUUID()
}

/** The compare-and-set rule, for stores that apply it under their own lock (Redis runs it as a script). */
export function applyCompareAndSet(current: StoredToken | undefined, token: AccessToken, expectedVersion: number): CompareAndSetResult {
  if (current !== undefined && current.version !== expectedVersion) return { written: false, current }
  const written: StoredToken = {
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    obtainedAt: token.obtainedAt,
    version: expectedVersion + 1,
  }
  return { written: true, current: written }
}

/** The compare-and-expire rule: the expired record, or undefined when `accessToken` is not the live stored token. */
export function applyExpire(current: StoredToken | undefined, accessToken: string): StoredToken | undefined {
  if (current === undefined || current.accessToken !== accessToken || current.expiresAt === 0) return undefined
  return { ...current, expiresAt: 0 }
}
