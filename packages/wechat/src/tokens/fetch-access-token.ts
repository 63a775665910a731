import { PageModuleError } from '@page-module/core'
import { requestJson, type FetchFunction } from '../client/request-json'
import type { AccessToken } from './token-store'
import { isWeChatErrorReply, weChatApiError } from '../client/wechat-errors'

export interface FetchAccessTokenOptions {
  readonly appId: string
  readonly appSecret: string
  readonly apiBaseUrl: string
  /** `POST /cgi-bin/stable_token` (force_refresh: false) instead of `GET /cgi-bin/token`. */
  readonly stable: boolean
  readonly fetch: FetchFunction
  readonly timeoutMs: number
  readonly now: () => number
}

/** One call to WeChat's token endpoint. The secret travels in the query or body and never into an error. */
export async function fetchAccessToken(options: FetchAccessTokenOptions): Promise<AccessToken> {
  const { appId, appSecret } = options
  const endpoint = options.stable ? '/cgi-bin/stable_token' : '/cgi-bin/token'
  const url = options.stable
    ? `${options.apiBaseUrl}${endpoint}`
    : `${options.apiBaseUrl}${endpoint}?${new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: appSecret })}`
  const { body } = await requestJson({
    url,
    method: options.stable ? 'POST' : 'GET',
    body: options.stable ? { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: false } : undefined,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
    endpoint: `WeChat ${endpoint}`,
  })
  if (isWeChatErrorReply(body))
    throw weChatApiError(body, { appId, during: 'fetching an access_token', secrets: [appSecret], fetchingToken: true })
  const { access_token: accessToken, expires_in: expiresIn } = (body ?? {}) as { access_token?: unknown; expires_in?: unknown }
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      message: `WeChat ${endpoint} answered without access_token and expires_in — check apiBaseUrl.`,
      requestSent: true,
    })
  }
  const obtainedAt = options.now()
  return { accessToken, obtainedAt, expiresAt: obtainedAt + expiresIn * 1000 }
}
