import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJsonBody } from '../http-json'
import { createInvokeCloudFunctionApi, type InvokeFunction } from './tcb/invoke-cloud-function'
import { createTokenIssuer, type EmulatedApp, type TokenCheck, type TokenEndpoint } from './tokens/token-issuer'
import { isBinaryReply, type WeChatApi } from './wechat-api'
import { weChatReply, type WeChatReply } from './wechat-reply'

export type { EmulatedApp, TokenEndpoint } from './tokens/token-issuer'
export type { InvokeFunction } from './tcb/invoke-cloud-function'
export type { WeChatApi, WeChatApiCall, WeChatBinaryReply } from './wechat-api'

export interface WeChatApiEmulatorOptions {
  readonly apps: readonly EmulatedApp[]
  /** The clock tokens expire by; `Date.now` by default. */
  readonly now?: () => number
  /** Successful calls per app, endpoint and (Beijing) day before 45009. Default 2000. */
  readonly dailyQuota?: number
  readonly invokeFunction?: InvokeFunction
  /** Awaited before a token is issued: lets a test hold WeChat's answer (and kill the caller meanwhile). */
  readonly beforeIssue?: (request: { readonly appId: string; readonly endpoint: TokenEndpoint }) => void | Promise<void>
  /** Told of each token request or API call refused (`GET /cgi-bin/token`, `40125: invalid appsecret`); no query, no secret. */
  readonly refused?: (request: string, reason: string) => void
}

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
  checkToken(accessToken: string): TokenCheck
  /** The emulated app an appid names (for APIs that take appid + secret instead of a token). */
  appOf(appId: string): EmulatedApp | undefined
  /** Serves an API behind an access_token at `path` (e.g. `/tcb/databasequery`); the token is checked first. */
  serveApi(path: string, api: WeChatApi): void
  /** Serves a path that takes no access_token (`/sns/jscode2session`, `/connect/oauth2/authorize`). */
  serveOpen(path: string, handler: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>): void
}

/**
 * WeChat's API on a loopback server: the token endpoints (`tokens/`), `/tcb/invokecloudfunction` through
 * `invokeFunction` (`tcb/`), and whatever other service folders mount with `serveApi` / `serveOpen`.
 */
export function createWeChatApiEmulator(options: WeChatApiEmulatorOptions): WeChatApiEmulator {
  const counters: WeChatApiEmulatorCounters = {
    tokenRequests: 0,
    stableTokenRequests: 0,
    tokensIssued: 0,
    invocations: 0,
    rejectedTokens: 0,
  }
  const issuer = createTokenIssuer({
    apps: options.apps,
    now: options.now ?? Date.now,
    dailyQuota: options.dailyQuota ?? 2000,
    beforeIssue: options.beforeIssue,
    onIssue: () => (counters.tokensIssued += 1),
  })
  const apis = new Map<string, WeChatApi>()
  const openPaths = new Map<string, (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>>()
  const serveApi = (path: string, api: WeChatApi) => {
    if (apis.has(path) || openPaths.has(path)) throw new Error(`${path} is already served`)
    apis.set(path, api)
  }
  serveApi(
    '/tcb/invokecloudfunction',
    createInvokeCloudFunctionApi(options.invokeFunction, () => (counters.invocations += 1)),
  )

  /** Tells `options.refused` of a token request or API call answered with an error (the path only: the query holds secrets). */
  function reportRefusal(request: IncomingMessage, url: URL, answer: object): void {
    const { errcode, errmsg } = answer as Partial<WeChatReply>
    if (typeof errcode !== 'number' || errcode === 0 || typeof errmsg !== 'string') return
    options.refused?.(`${request.method ?? '?'} ${url.pathname}`, `${errcode}: ${errmsg.replace(/ rid: \w+$/, '')}`)
  }

  async function answerTokenRequest(request: IncomingMessage, url: URL): Promise<object> {
    let answer: object
    if (url.pathname === '/cgi-bin/token') {
      counters.tokenRequests += 1
      answer = await issuer.answer(request, 'token', Object.fromEntries(url.searchParams))
    } else {
      counters.stableTokenRequests += 1
      const body = await readJsonBody(request)
      const parameters =
        body.ok && typeof body.value === 'object' && body.value !== null ? (body.value as Record<string, unknown>) : undefined
      answer = parameters ? await issuer.answer(request, 'stable_token', parameters) : weChatReply(47001, 'data format error')
    }
    reportRefusal(request, url, answer)
    return answer
  }

  async function answerApi(api: WeChatApi, request: IncomingMessage, url: URL): Promise<object> {
    const check = issuer.checkToken(url.searchParams.get('access_token') ?? '')
    if (check.errcode !== 0 || check.appId === undefined) {
      counters.rejectedTokens += 1
      reportRefusal(request, url, check)
      return check
    }
    return api({ url, request, appId: check.appId })
  }

  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const url = new URL(request.url ?? '/', 'http://emulator.invalid')
    const open = openPaths.get(url.pathname)
    if (open) {
      await open(request, response, url)
      return true
    }
    const api = apis.get(url.pathname)
    const isTokenPath = url.pathname === '/cgi-bin/token' || url.pathname === '/cgi-bin/stable_token'
    if (api === undefined && !isTokenPath) return false
    const answer = api === undefined ? await answerTokenRequest(request, url) : await answerApi(api, request, url)
    if (response.headersSent) return true
    if (isBinaryReply(answer)) {
      response.writeHead(200, { 'content-type': answer.contentType, 'content-length': answer.body.length })
      response.end(answer.body)
    } else {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      response.end(JSON.stringify(answer))
    }
    return true
  }

  return Object.assign(handler, {
    counters,
    checkToken: issuer.checkToken,
    appOf: issuer.appOf,
    revokeTokens: issuer.revoke,
    serveApi,
    serveOpen(path: string, open: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>) {
      if (apis.has(path) || openPaths.has(path)) throw new Error(`${path} is already served`)
      openPaths.set(path, open)
    },
  })
}
