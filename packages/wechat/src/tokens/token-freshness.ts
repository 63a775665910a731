import type { AccessToken } from './token-store'

/** A token this close to its expiry is not handed out: a call made with it could arrive too late. */
export const EXPIRY_MARGIN_MS = 30_000

/**
 * When a token should be replaced: `refreshAheadMs` before it expires, but never before half its life, so a
 * token WeChat issued with little time left cannot make every call fetch again.
 */
export function refreshAtOf(token: AccessToken, refreshAheadMs: number): number {
  return Math.max(token.expiresAt - refreshAheadMs, token.obtainedAt + (token.expiresAt - token.obtainedAt) / 2)
}

/** Still accepted by WeChat for long enough to be used. */
export function isUsable(token: AccessToken | undefined, now: number): token is AccessToken {
  return token !== undefined && token.expiresAt - EXPIRY_MARGIN_MS > now
}

/** Usable and not yet due for a refresh. */
export function isFresh(token: AccessToken | undefined, now: number, refreshAheadMs: number): token is AccessToken {
  return isUsable(token, now) && now < refreshAtOf(token, refreshAheadMs)
}
