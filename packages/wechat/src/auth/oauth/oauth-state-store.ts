import { createHash, randomInt, timingSafeEqual } from 'node:crypto'

/** What the server keeps for one authorize → callback round trip. */
export interface PendingAuthorization {
  readonly returnTo: string
  readonly scope: 'snsapi_base' | 'snsapi_userinfo'
}

/** Pending `state`s with a time to live; `take` removes the state, so each is accepted once. */
export interface OAuthStateStore {
  put(state: string, pending: PendingAuthorization, ttlMs: number): Promise<void>
  take(state: string): Promise<PendingAuthorization | undefined>
}

const STATE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A random `[A-Za-z0-9]` state (32 characters ≈ 190 bits), the only characters WeChat passes through. */
export function randomState(length = 32): string {
  let state = ''
  for (let index = 0; index < length; index += 1) state += STATE_ALPHABET[randomInt(STATE_ALPHABET.length)]
  return state
}

/**
 * States in memory, keyed by their SHA-256 so the lookup does not compare the secret itself; the stored state is then
 * compared with the given one in constant time.
 */
export function createMemoryOAuthStateStore(options: { now?: () => number } = {}): OAuthStateStore {
  const now = options.now ?? Date.now
  const pending = new Map<string, { state: Buffer; pending: PendingAuthorization; expiresAt: number }>()
  const keyOf = (state: string) => createHash('sha256').update(state, 'utf8').digest('hex')
  return {
    async put(state, value, ttlMs) {
      for (const [key, entry] of pending) if (entry.expiresAt <= now()) pending.delete(key)
      pending.set(keyOf(state), { state: Buffer.from(state, 'utf8'), pending: value, expiresAt: now() + ttlMs })
    },
    async take(state) {
      const key = keyOf(state)
      const entry = pending.get(key)
      if (entry === undefined) return undefined
      pending.delete(key)
      const given = Buffer.from(state, 'utf8')
      const same = given.length === entry.state.length && timingSafeEqual(given, entry.state)
      return same && entry.expiresAt > now() ? entry.pending : undefined
    },
  }
}
