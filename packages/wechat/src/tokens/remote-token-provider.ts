import { PageModuleError } from '@page-module/core'
import { requestJson, type FetchFunction } from '../client/request-json'
import { isFresh } from './token-freshness'
import { assertAppId, type AccessToken } from './token-store'
import { runWithAccessToken, type AccessTokenProvider } from './with-access-token'

export interface RemoteTokenProviderOptions {
  /** The token server's base URL, e.g. `http://127.0.0.1:8330`. */
  readonly url: string
  /** The token server's bearer secret. */
  readonly secret: string
  readonly appId: string
  /** Ask the server again this long before the token expires. Default 300. */
  readonly refreshAheadSeconds?: number
  /** Timeout of one request to the token server. Default 10 000 ms. */
  readonly timeoutMs?: number
  readonly fetch?: FetchFunction
  readonly now?: () => number
}

/**
 * access_tokens from a token server (`createTokenServer`, `page-module-token-server`): cached while fresh,
 * one request at a time, and a refused token reported back so the server replaces it (compare-and-expire).
 */
export function createRemoteTokenProvider(options: RemoteTokenProviderOptions): AccessTokenProvider {
  assertAppId(options.appId)
  const { appId, secret } = options
  const base = options.url.replace(/\/+$/, '')
  const fetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? Date.now
  const refreshAheadMs = (options.refreshAheadSeconds ?? 300) * 1000
  const timeoutMs = options.timeoutMs ?? 10_000
  let local: AccessToken | undefined
  let inflight: Promise<AccessToken> | undefined

  async function call(path: string, method: 'GET' | 'POST', body?: unknown): Promise<Record<string, unknown>> {
    const response = await requestJson(
      {
        url: `${base}${path}`,
        method,
        body,
        headers: { authorization: `Bearer ${secret}` },
        timeoutMs,
        fetch,
        endpoint: `token server ${path.split('?')[0]}`,
      },
      (status) => status < 500 || status === 502,
    )
    const answer = (response.body ?? {}) as Record<string, unknown>
    const error = answer['error'] as { code?: unknown; message?: unknown; errcode?: unknown } | undefined
    if (response.status === 200 && error === undefined) return answer
    throw new PageModuleError({
      code: typeof error?.code === 'string' ? error.code : 'TOKEN_SERVER_ERROR',
      message: `the token server answered HTTP ${response.status}: ${typeof error?.message === 'string' ? error.message : 'no message'}`,
      retryable: response.status === 502,
      requestSent: true,
      details: { status: response.status, ...(typeof error?.errcode === 'number' ? { errcode: error.errcode } : {}) },
    })
  }

  async function fetchToken(): Promise<AccessToken> {
    const answer = await call(`/v1/token?${new URLSearchParams({ appid: appId })}`, 'GET')
    const { access_token: accessToken, expires_in: expiresIn } = answer
    if (typeof accessToken !== 'string' || typeof expiresIn !== 'number') {
      throw new PageModuleError({
        code: 'BAD_RESPONSE',
        message: 'the token server answered without access_token and expires_in — check url.',
        requestSent: true,
      })
    }
    const obtainedAt = now()
    local = { accessToken, obtainedAt, expiresAt: obtainedAt + expiresIn * 1000 }
    return local
  }

  const provider: AccessTokenProvider = {
    appId,
    async getAccessToken() {
      if (isFresh(local, now(), refreshAheadMs)) return local.accessToken
      inflight ??= fetchToken().finally(() => {
        inflight = undefined
      })
      return (await inflight).accessToken
    },
    async invalidate(accessToken) {
      if (local?.accessToken === accessToken) local = undefined
      const answer = await call('/v1/token/invalidate', 'POST', { appid: appId, access_token: accessToken })
      return answer['expired'] === true
    },
    withAccessToken(fn) {
      return runWithAccessToken(provider, fn)
    },
  }
  return provider
}
