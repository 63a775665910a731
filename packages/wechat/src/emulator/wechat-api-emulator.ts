import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJsonBody } from '../read-json-body'

export interface EmulatedApp {
  readonly appId: string
  readonly appSecret: string
  /** When set, token requests from other addresses answer 40164, as WeChat's IP whitelist does. */
  readonly ipWhitelist?: readonly string[]
}

/** What `/tcb/invokecloudfunction` runs. Throw an error with `code: 'FUNCTION_NOT_FOUND'` for a missing function. */
export type InvokeFunction = (name: string, event: unknown, context: { readonly appId: string; readonly env: string }) => unknown

export interface WeChatApiEmulatorOptions {
  readonly apps: readonly EmulatedApp[]
  /** The clock tokens expire by; `Date.now` by default. */
  readonly now?: () => number
  /** Successful calls per app, endpoint and (Beijing) day before 45009. Default 2000. */
  readonly dailyQuota?: number
  readonly invokeFunction?: InvokeFunction
  /** Awaited before a token is issued: lets a test hold WeChat's answer (and kill the caller meanwhile). */
  readonly beforeIssue?: (request: { readonly appId: string; readonly endpoint: TokenEndpoint }) => void | Promise<void>
}

export type TokenEndpoint = 'token' | 'stable_token'

export interface WeChatApiEmulatorCounters {
  /** Calls to `/cgi-bin/token`, answered or refused. */
  tokenRequests: number
  /** Calls to `/cgi-bin/stable_token`, answered or refused. */
  stableTokenRequests: number
  /** New tokens minted by either endpoint (a stable_token call that returns the current token mints none). */
  tokensIssued: number
  /** `/tcb/invokecloudfunction` calls that reached `invokeFunction`. */
  invocations: number
  /** API calls refused for their access_token (40001, 42001, 41001). */
  rejectedTokens: number
}

/** A Node request handler: resolves true when it answered the route, false to let the next handler try. */
export interface WeChatApiEmulator {
  (request: IncomingMessage, response: ServerResponse): Promise<boolean>
  readonly counters: WeChatApiEmulatorCounters
  /** Makes every token of the app invalid now (as resetting the secret does): API calls answer 40001. */
  revokeTokens(appId: string): void
  /** What WeChat would answer for this token now: errcode 0 when it is accepted. */
  checkToken(accessToken: string): { readonly errcode: number; readonly errmsg: string; readonly appId?: string }
}

interface IssuedToken {
  readonly accessToken: string
  readonly appId: string
  readonly endpoint: TokenEndpoint
  readonly expiresAt: number
  /** Superseded tokens stay valid until 5 minutes after their successor was issued. */
  validUntil: number
}

const TOKEN_LIFETIME_MS = 7200 * 1000
const OVERLAP_MS = 5 * 60 * 1000
const BEIJING_OFFSET_MS = 8 * 3600 * 1000

/**
 * WeChat's token rules on a loopback server: 7200 s tokens, a new token leaves the previous one valid for five
 * minutes (then 40001), 40013 / 40125 / 40164 / 45009, stable_token returning the current token unless it is
 * within five minutes of expiry or force_refresh is set, and `/tcb/invokecloudfunction` through `invokeFunction`.
 */
export function createWeChatApiEmulator(options: WeChatApiEmulatorOptions): WeChatApiEmulator {
  const now = options.now ?? Date.now
  const dailyQuota = options.dailyQuota ?? 2000
  const apps = new Map(options.apps.map((app) => [app.appId, app]))
  const tokens = new Map<string, IssuedToken>()
  const latest = new Map<string, IssuedToken>()
  const quotaUsed = new Map<string, number>()
  const counters: WeChatApiEmulatorCounters = { tokenRequests: 0, stableTokenRequests: 0, tokensIssued: 0, invocations: 0, rejectedTokens: 0 }

  function checkToken(accessToken: string): { errcode: number; errmsg: string; appId?: string } {
    if (accessToken === '') return reply(41001, 'access_token missing')
    const issued = tokens.get(accessToken)
    if (issued === undefined) return reply(40001, 'invalid credential, access_token is invalid or not latest')
    if (now() >= issued.expiresAt) return { ...reply(42001, 'access_token expired'), appId: issued.appId }
    if (now() >= issued.validUntil) return { ...reply(40001, 'invalid credential, access_token is invalid or not latest'), appId: issued.appId }
    return { errcode: 0, errmsg: 'ok', appId: issued.appId }
  }

  function issue(appId: string, endpoint: TokenEndpoint): IssuedToken {
    const time = now()
    const previous = latest.get(`${endpoint}:${appId}`)
    if (previous !== undefined) previous.validUntil = Math.min(previous.validUntil, time + OVERLAP_MS)
    const accessToken = randomBytes(48).toString('base64url')
    const issued: IssuedToken = { accessToken, appId, endpoint, expiresAt: time + TOKEN_LIFETIME_MS, validUntil: time + TOKEN_LIFETIME_MS }
    tokens.set(accessToken, issued)
    latest.set(`${endpoint}:${appId}`, issued)
    counters.tokensIssued += 1
    return issued
  }

  async function answerToken(request: IncomingMessage, endpoint: TokenEndpoint, parameters: Record<string, unknown>): Promise<object> {
    const { grant_type: grantType, appid: appId, secret } = parameters
    if (grantType !== 'client_credential') return reply(40002, 'invalid grant_type')
    const app = typeof appId === 'string' ? apps.get(appId) : undefined
    if (app === undefined) return reply(40013, 'invalid appid')
    if (secret !== app.appSecret) return reply(40125, 'invalid appsecret')
    const ip = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
    if (app.ipWhitelist !== undefined && !app.ipWhitelist.includes(ip)) return reply(40164, `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist`)
    const quotaKey = `${endpoint}:${app.appId}:${Math.floor((now() + BEIJING_OFFSET_MS) / 86_400_000)}`
    const used = quotaUsed.get(quotaKey) ?? 0
    if (used >= dailyQuota) return reply(45009, 'reach max api daily quota limit')
    quotaUsed.set(quotaKey, used + 1)
    const current = latest.get(`${endpoint}:${app.appId}`)
    const reuse = endpoint === 'stable_token' && parameters['force_refresh'] !== true && current !== undefined && checkToken(current.accessToken).errcode === 0 && current.expiresAt - now() > OVERLAP_MS
    await options.beforeIssue?.({ appId: app.appId, endpoint })
    const token = reuse ? current : issue(app.appId, endpoint)
    return { access_token: token.accessToken, expires_in: Math.floor((token.expiresAt - now()) / 1000) }
  }

  async function answerInvoke(url: URL, request: IncomingMessage): Promise<object> {
    if (request.method !== 'POST') return reply(43002, 'require POST method')
    const check = checkToken(url.searchParams.get('access_token') ?? '')
    if (check.errcode !== 0) {
      counters.rejectedTokens += 1
      return check
    }
    const env = url.searchParams.get('env') ?? ''
    const name = url.searchParams.get('name') ?? ''
    if (env === '' || name === '') return reply(40101, 'missing parameter env or name')
    const body = await readJsonBody(request)
    if (body.empty) return reply(44002, 'empty post data')
    if (!body.ok) return reply(47001, 'data format error')
    if (options.invokeFunction === undefined) return reply(-1, 'system error: the emulator was given no invokeFunction')
    counters.invocations += 1
    try {
      const result = await options.invokeFunction(name, body.value, { appId: check.appId ?? '', env })
      return { errcode: 0, errmsg: 'ok', resp_data: JSON.stringify(result ?? null) }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if ((error as { code?: unknown } | undefined)?.code === 'FUNCTION_NOT_FOUND') return reply(-501000, `FunctionName parameter could not be found. ${message}`)
      return reply(-504002, `cloud function execution error: ${message}`)
    }
  }

  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const url = new URL(request.url ?? '/', 'http://emulator.invalid')
    let answer: object
    switch (url.pathname) {
      case '/cgi-bin/token':
        counters.tokenRequests += 1
        answer = await answerToken(request, 'token', Object.fromEntries(url.searchParams))
        break
      case '/cgi-bin/stable_token': {
        counters.stableTokenRequests += 1
        const body = await readJsonBody(request)
        answer = body.ok && typeof body.value === 'object' && body.value !== null ? await answerToken(request, 'stable_token', body.value as Record<string, unknown>) : reply(47001, 'data format error')
        break
      }
      case '/tcb/invokecloudfunction':
        answer = await answerInvoke(url, request)
        break
      default:
        return false
    }
    if (!response.headersSent) {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      response.end(JSON.stringify(answer))
    }
    return true
  }

  return Object.assign(handler, {
    counters,
    checkToken,
    revokeTokens(appId: string) {
      for (const issued of tokens.values()) if (issued.appId === appId) issued.validUntil = Math.min(issued.validUntil, now())
    },
  })
}

function reply(errcode: number, errmsg: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: `${errmsg} rid: ${randomBytes(6).toString('hex')}` }
}
