import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { weChatReply, type WeChatReply } from '../wechat-reply'

export interface EmulatedApp {
  readonly appId: string
  readonly appSecret: string
  /** When set, token requests from other addresses answer 40164, as WeChat's IP whitelist does. */
  readonly ipWhitelist?: readonly string[]
}

export type TokenEndpoint = 'token' | 'stable_token'

export interface TokenIssuerOptions {
  readonly apps: readonly EmulatedApp[]
  readonly now: () => number
  /** Successful calls per app, endpoint and (Beijing) day before 45009. */
  readonly dailyQuota: number
  /** Awaited before a token is issued: lets a test hold WeChat's answer (and kill the caller meanwhile). */
  readonly beforeIssue?: ((request: { readonly appId: string; readonly endpoint: TokenEndpoint }) => void | Promise<void>) | undefined
  /** Counts each new token. */
  readonly onIssue: () => void
}

/** What WeChat would answer for a token now: errcode 0 (with its app) when it is accepted. */
export type TokenCheck = WeChatReply & { readonly appId?: string }

export interface TokenIssuer {
  /** Answers `/cgi-bin/token` (query parameters) or `/cgi-bin/stable_token` (JSON body). */
  answer(request: IncomingMessage, endpoint: TokenEndpoint, parameters: Record<string, unknown>): Promise<object>
  checkToken(accessToken: string): TokenCheck
  /** Makes every token of the app invalid now (as resetting the secret does). */
  revoke(appId: string): void
  /** The app an appid names, for APIs that take appid + secret (jscode2session, OAuth). */
  appOf(appId: string): EmulatedApp | undefined
}

interface IssuedToken {
  readonly accessToken: string
  readonly appId: string
  readonly expiresAt: number
  /** Superseded tokens stay valid until 5 minutes after their successor was issued. */
  validUntil: number
}

const TOKEN_LIFETIME_MS = 7200 * 1000
const OVERLAP_MS = 5 * 60 * 1000
const BEIJING_OFFSET_MS = 8 * 3600 * 1000

/**
 * WeChat's token rules: 7200 s tokens, a new token leaves the previous one valid for five minutes (then 40001),
 * 40013 / 40125 / 40164 / 45009, stable_token returning the current token unless it is within five minutes of
 * expiry or force_refresh is set.
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const { now } = options
  const apps = new Map(options.apps.map((app) => [app.appId, app]))
  const tokens = new Map<string, IssuedToken>()
  const latest = new Map<string, IssuedToken>()
  const quotaUsed = new Map<string, number>()

  function checkToken(accessToken: string): TokenCheck {
    if (accessToken === '') return weChatReply(41001, 'access_token missing')
    const issued = tokens.get(accessToken)
    if (issued === undefined) return weChatReply(40001, 'invalid credential, access_token is invalid or not latest')
    if (now() >= issued.expiresAt) return { ...weChatReply(42001, 'access_token expired'), appId: issued.appId }
    if (now() >= issued.validUntil) {
      return { ...weChatReply(40001, 'invalid credential, access_token is invalid or not latest'), appId: issued.appId }
    }
    return { errcode: 0, errmsg: 'ok', appId: issued.appId }
  }

  function issue(appId: string, endpoint: TokenEndpoint): IssuedToken {
    const time = now()
    const previous = latest.get(`${endpoint}:${appId}`)
    if (previous !== undefined) previous.validUntil = Math.min(previous.validUntil, time + OVERLAP_MS)
    const accessToken = randomBytes(48).toString('base64url')
    const issued: IssuedToken = { accessToken, appId, expiresAt: time + TOKEN_LIFETIME_MS, validUntil: time + TOKEN_LIFETIME_MS }
    tokens.set(accessToken, issued)
    latest.set(`${endpoint}:${appId}`, issued)
    options.onIssue()
    return issued
  }

  return {
    checkToken,
    appOf: (appId) => apps.get(appId),
    revoke(appId) {
      for (const issued of tokens.values()) if (issued.appId === appId) issued.validUntil = Math.min(issued.validUntil, now())
    },
    async answer(request, endpoint, parameters) {
      const { grant_type: grantType, appid: appId, secret } = parameters
      if (grantType !== 'client_credential') return weChatReply(40002, 'invalid grant_type')
      const app = typeof appId === 'string' ? apps.get(appId) : undefined
      if (app === undefined) return weChatReply(40013, 'invalid appid')
      if (secret !== app.appSecret) return weChatReply(40125, 'invalid appsecret')
      const ip = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
      if (app.ipWhitelist !== undefined && !app.ipWhitelist.includes(ip)) {
        return weChatReply(40164, `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist`)
      }
      const quotaKey = `${endpoint}:${app.appId}:${Math.floor((now() + BEIJING_OFFSET_MS) / 86_400_000)}`
      const used = quotaUsed.get(quotaKey) ?? 0
      if (used >= options.dailyQuota) return weChatReply(45009, 'reach max api daily quota limit')
      quotaUsed.set(quotaKey, used + 1)
      const current = latest.get(`${endpoint}:${app.appId}`)
      const reuse =
        endpoint === 'stable_token' &&
        parameters['force_refresh'] !== true &&
        current !== undefined &&
        checkToken(current.accessToken).errcode === 0 &&
        current.expiresAt - now() > OVERLAP_MS
      await options.beforeIssue?.({ appId: app.appId, endpoint })
      const token = reuse ? current : issue(app.appId, endpoint)
      return { access_token: token.accessToken, expires_in: Math.floor((token.expiresAt - now()) / 1000) }
    },
  }
}
