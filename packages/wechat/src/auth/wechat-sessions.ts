import { randomBytes } from 'node:crypto'
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import { authError } from './auth-errors'
import { createMemorySessionStore } from './memory-session-store'
import type { SessionStore, StoredSession } from './session-store'

export interface WeChatSessionsOptions {
  /** The HMAC key of the tokens (HS256): at least 32 bytes, the same on every server. */
  readonly secret: string | Uint8Array
  /** Default: in this process's memory. */
  readonly store?: SessionStore
  /** Seconds a token lives. Default 7 days. */
  readonly ttlSeconds?: number
  /** The tokens' `iss`. Default `page-module`. */
  readonly issuer?: string
  /** The clock, in milliseconds. */
  readonly now?: () => number
}

/** A verified session: what the store keeps, with its id and expiry. */
export interface WeChatSession extends StoredSession {
  readonly id: string
  /** Seconds since the epoch. */
  readonly expiresAt: number
}

export interface WeChatSessions {
  /** Keeps the session server-side and returns the server's own token for it (the client sends `authorization: wechat <token>`). */
  issue(session: StoredSession): Promise<{ token: string; expiresAt: number }>
  /** The session a token names; `UNAUTHORIZED` when the token is forged, expired or revoked. */
  verify(token: string): Promise<WeChatSession>
  /**
   * The session of a request: `authorization: wechat <token>`, or (GET and HEAD only, so a cross-site form cannot act
   * as the user) the `cookieName` cookie; `UNAUTHORIZED` otherwise.
   */
  authorize(request: Request): Promise<WeChatSession>
  /** Replaces what the store keeps for a session (its expiry stays). */
  update(session: WeChatSession, changes: Partial<StoredSession>): Promise<WeChatSession>
  revoke(token: string): Promise<void>
  /** The cookie a browser login sets: `wechat_session`. */
  readonly cookieName: string
}

const MIN_SECRET_BYTES = 32

/**
 * Sessions of signed-in WeChat users: a JWT (via `jose`, HS256, with `exp`) carries only the session id and openid;
 * the session_key stays in the store, so a token alone reveals nothing and a deleted session is refused at once.
 */
export function createWeChatSessions(options: WeChatSessionsOptions): WeChatSessions {
  const key = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret
  if (!(key instanceof Uint8Array) || key.length < MIN_SECRET_BYTES) {
    throw authError('INVALID_OPTIONS', `secret must be at least ${MIN_SECRET_BYTES} bytes — generate one with openssl rand -base64 48.`)
  }
  const store = options.store ?? createMemorySessionStore(options.now ? { now: options.now } : {})
  const ttlSeconds = options.ttlSeconds ?? 7 * 86_400
  const issuer = options.issuer ?? 'page-module'
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000)
  const cookieName = 'wechat_session'

  const unauthorized = (why: string) => authError('UNAUTHORIZED', `${why} — sign in again.`)

  async function verify(token: string): Promise<WeChatSession> {
    if (typeof token !== 'string' || token === '') throw unauthorized('no session token')
    let payload: { jti?: string; sub?: string; exp?: number }
    try {
      ;({ payload } = await jwtVerify(token, key, { issuer, algorithms: ['HS256'], currentDate: new Date(nowSeconds() * 1000) }))
    } catch (error) {
      throw unauthorized(error instanceof joseErrors.JWTExpired ? 'the session token has expired' : 'the session token is not valid')
    }
    const stored = payload.jti ? await store.get(payload.jti) : undefined
    if (stored === undefined || stored.openid !== payload.sub || payload.exp === undefined) {
      throw unauthorized('the session has ended')
    }
    return { ...stored, id: payload.jti as string, expiresAt: payload.exp }
  }

  return {
    cookieName,
    async issue(session) {
      const id = randomBytes(18).toString('base64url')
      const expiresAt = nowSeconds() + ttlSeconds
      await store.set(id, session, ttlSeconds * 1000)
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(session.openid)
        .setJti(id)
        .setIssuedAt(nowSeconds())
        .setExpirationTime(expiresAt)
        .sign(key)
      return { token, expiresAt }
    },
    verify,
    async authorize(request) {
      const header = request.headers.get('authorization')
      if (header !== null) {
        const match = /^wechat\s+(\S+)\s*$/i.exec(header)
        if (!match) throw unauthorized('the authorization header is not "wechat <token>"')
        return verify(match[1] as string)
      }
      const safeMethod = request.method === 'GET' || request.method === 'HEAD'
      const cookie = safeMethod ? cookieValue(request.headers.get('cookie'), cookieName) : undefined
      if (cookie === undefined) throw unauthorized('no authorization header ("wechat <token>") and no session cookie on a GET')
      return verify(cookie)
    },
    async update(session, changes) {
      const { id, expiresAt, ...stored } = session
      const next: StoredSession = { ...stored, ...changes }
      await store.set(id, next, Math.max(1, expiresAt - nowSeconds()) * 1000)
      return { ...next, id, expiresAt }
    },
    async revoke(token) {
      const session = await verify(token).catch(() => undefined)
      if (session) await store.delete(session.id)
    },
  }
}

/** One cookie's value from a `cookie` header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=')
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim()
  }
  return undefined
}
