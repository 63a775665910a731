import { PageModuleError, type AbortSignalLike } from '@page-module/core'
import { createAccessTokenManager, WECHAT_API_BASE_URL } from '../tokens/access-token-manager'
import type { TokenStore } from '../tokens/token-store'
import type { AccessTokenProvider } from '../tokens/with-access-token'
import { requestBytes, requestJson, type FetchFunction } from './request-json'
import { parseExactJson } from './parse-exact-json'
import { isWeChatErrorReply, weChatApiError, type WeChatErrcodeTable } from './wechat-errors'

export type WeChatClientOptions = (
  | {
      /** A token manager or token-server client, shared with the rest of your code. */
      readonly tokens: AccessTokenProvider
      /** Needed only by `callWithoutToken({ withAppSecret: true })` (jscode2session, sns/oauth2/*). */
      readonly appSecret?: string
    }
  | { readonly appId: string; readonly appSecret: string; readonly store?: TokenStore; readonly stable?: boolean }
) & {
  /** Replaces `https://api.weixin.qq.com` (a fixed-egress proxy, the local emulator). */
  readonly apiBaseUrl?: string
  readonly fetch?: FetchFunction
  /** The clock tokens expire by. */
  readonly now?: () => number
  /** Milliseconds one WeChat call may take. Default 10 000. */
  readonly timeout?: number
}

export interface WeChatRequest {
  /** The API path, e.g. `/tcb/databasequery`. */
  readonly path: string
  /** Default `POST`. */
  readonly method?: 'GET' | 'POST'
  /** Query parameters besides `access_token`. */
  readonly query?: Readonly<Record<string, string | number>>
  /** A JSON body, or a `FormData` sent as `multipart/form-data`. */
  readonly body?: unknown
  /** Names the call in error messages: `querying the database`. Default: the path. */
  readonly during?: string
  /** The API's own errcodes (`-504002` of tcb/invokecloudfunction …), mapped before the general ones. */
  readonly errcodes?: WeChatErrcodeTable
  /** Default: the client's `timeout`. */
  readonly timeout?: number
  readonly signal?: AbortSignalLike
  /** Integers beyond 2^53 in the answer come back as exact decimal strings instead of rounded numbers. */
  readonly exactIntegers?: boolean
}

/** A call to an API that takes no app access_token (`/sns/jscode2session`, `/sns/oauth2/*`, `/sns/userinfo`). */
export interface WeChatTokenlessRequest extends Omit<WeChatRequest, 'method'> {
  /** Default `GET`. */
  readonly method?: 'GET' | 'POST'
  /** Puts `appid` and `secret` first in the query (the app secret never appears in an error). */
  readonly withAppSecret?: boolean
  /** Query values removed from error messages besides the app secret (a user's access_token, a refresh_token). */
  readonly secrets?: readonly string[]
}

/** The answer of an API that sends an image or a file on success (wxacode, media). */
export interface WeChatBinaryAnswer {
  readonly contentType: string
  readonly buffer: Buffer
}

/**
 * The one way this package calls WeChat: the access_token goes into the query, an `errcode` becomes a
 * `PageModuleError` (the token never appears in it), and a refused token (40001, 42001, 40014) is replaced once.
 * An error getting the token says `requestSent: false`: the API was not called, so a retry is safe.
 */
export interface WeChatClient {
  readonly appId: string
  readonly apiBaseUrl: string
  readonly tokens: AccessTokenProvider
  /** Calls a JSON API and resolves with its answer (`errcode` 0 or absent). */
  call<Answer = Record<string, unknown>>(request: WeChatRequest): Promise<Answer>
  /** Calls an API that answers bytes on success; a JSON answer is an error, or a JSON result when it has no errcode. */
  callBinary(request: WeChatRequest): Promise<WeChatBinaryAnswer | Record<string, unknown>>
  /** Calls a JSON API without an access_token; an `errcode` becomes a `PageModuleError` with every secret redacted. */
  callWithoutToken<Answer = Record<string, unknown>>(request: WeChatTokenlessRequest): Promise<Answer>
}

const DEFAULT_TIMEOUT_MS = 10_000

export function createWeChatClient(options: WeChatClientOptions): WeChatClient {
  const apiBaseUrl = (options.apiBaseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, '')
  const fetch = options.fetch ?? globalThis.fetch
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: `timeout must be a positive number of milliseconds, got ${String(timeout)}.`,
      requestSent: false,
    })
  }
  const tokens =
    'tokens' in options
      ? options.tokens
      : createAccessTokenManager({
          appId: options.appId,
          appSecret: options.appSecret,
          apiBaseUrl,
          fetch,
          ...(options.now === undefined ? {} : { now: options.now }),
          ...(options.store === undefined ? {} : { store: options.store }),
          ...(options.stable === undefined ? {} : { stable: options.stable }),
        })

  function httpRequest(request: WeChatRequest, accessToken: string) {
    if (
      request.timeout !== undefined &&
      !(typeof request.timeout === 'number' && request.timeout > 0 && Number.isFinite(request.timeout))
    ) {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        message: `timeout of a ${request.path} call must be a positive number of milliseconds, got ${String(request.timeout)}.`,
        requestSent: false,
      })
    }
    const query = new URLSearchParams({ access_token: accessToken })
    return { ...httpRequestWith(request, query, 'POST'), parseJson: request.exactIntegers ? parseExactJson : undefined } as const
  }

  /** The HTTP request of a call, its query parameters after those in `query`. */
  function httpRequestWith(request: WeChatRequest | WeChatTokenlessRequest, query: URLSearchParams, defaultMethod: 'GET' | 'POST') {
    for (const [name, value] of Object.entries(request.query ?? {})) query.set(name, String(value))
    return {
      url: `${apiBaseUrl}${request.path}?${query}`,
      method: request.method ?? defaultMethod,
      body: request.body,
      timeoutMs: request.timeout ?? timeout,
      signal: request.signal,
      fetch,
      endpoint: `WeChat ${request.path}`,
    } as const
  }

  function refused(body: unknown, request: WeChatRequest, accessToken: string): PageModuleError | undefined {
    if (!isWeChatErrorReply(body)) return undefined
    return weChatApiError(body, {
      appId: tokens.appId,
      during: request.during ?? request.path,
      secrets: [accessToken],
      errcodes: request.errcodes,
    })
  }

  // Errors thrown by `exchange` went to (or towards) the API; any other PageModuleError came from getting a token.
  async function withToken<Result>(exchange: (accessToken: string) => Promise<Result>): Promise<Result> {
    const fromExchange = new WeakSet<object>()
    try {
      return await tokens.withAccessToken(async (accessToken) => {
        try {
          return await exchange(accessToken)
        } catch (error) {
          if (typeof error === 'object' && error !== null) fromExchange.add(error)
          throw error
        }
      })
    } catch (error) {
      if (PageModuleError.isInstance(error) && !fromExchange.has(error)) throw PageModuleError.from(error, { requestSent: false })
      throw error
    }
  }

  const appSecret = options.appSecret

  async function callWithoutToken<Answer>(request: WeChatTokenlessRequest): Promise<Answer> {
    if (request.withAppSecret && !appSecret) {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        message: `${request.path} needs the app secret — create the client with appSecret.`,
        requestSent: false,
      })
    }
    const query = new URLSearchParams(request.withAppSecret ? { appid: tokens.appId, secret: appSecret ?? '' } : {})
    const { body } = await requestJson(httpRequestWith(request, query, 'GET'))
    if (isWeChatErrorReply(body)) {
      throw weChatApiError(body, {
        appId: tokens.appId,
        during: request.during ?? request.path,
        secrets: [request.withAppSecret ? appSecret : undefined, ...(request.secrets ?? [])],
        fetchingToken: request.withAppSecret === true,
      })
    }
    return body as Answer
  }

  return {
    appId: tokens.appId,
    apiBaseUrl,
    tokens,
    callWithoutToken,
    call<Answer>(request: WeChatRequest) {
      return withToken(async (accessToken) => {
        const { body } = await requestJson(httpRequest(request, accessToken))
        const error = refused(body, request, accessToken)
        if (error) throw error
        return body as Answer
      })
    },
    callBinary(request) {
      return withToken(async (accessToken) => {
        const answer = await requestBytes(httpRequest(request, accessToken))
        if (answer.kind === 'bytes') return { contentType: answer.contentType, buffer: answer.bytes }
        const error = refused(answer.body, request, accessToken)
        if (error) throw error
        return answer.body as Record<string, unknown>
      })
    },
  }
}
