/** What the server keeps about a signed-in user; `sessionKey` (mini-program logins) never leaves the server. */
export interface StoredSession {
  readonly openid: string
  readonly unionid?: string
  /** The mini-program session_key, for decrypting the user's data. Absent for Official Account logins. */
  readonly sessionKey?: string
  /** Where the user signed in. */
  readonly via: 'mini-program' | 'official-account'
  /** What the app keeps beside (a nickname from sns/userinfo…). */
  readonly profile?: Readonly<Record<string, unknown>>
}

/** Sessions by id with a time to live: in memory for one server, in Redis (`@page-module/wechat/redis`) for several. */
export interface SessionStore {
  get(id: string): Promise<StoredSession | undefined>
  set(id: string, session: StoredSession, ttlMs: number): Promise<void>
  delete(id: string): Promise<void>
}
