import { PageModuleError, type Transport, type TransportRequest, type TransportResponse } from '@page-module/core'
import { createAccessTokenManager, WECHAT_API_BASE_URL } from '../tokens/access-token-manager'
import { requestJson, type FetchFunction } from '../client/request-json'
import type { TokenStore } from '../tokens/token-store'
import { isWeChatErrorReply, weChatApiError, type WeChatErrorReply } from '../client/wechat-errors'
import type { AccessTokenProvider } from '../tokens/with-access-token'

export type WeChatHttpTransportOptions = (
  | { /** A token manager or token-server client, shared with the rest of your code. */ readonly tokens: AccessTokenProvider }
  | { readonly appId: string; readonly appSecret: string; readonly store?: TokenStore; readonly stable?: boolean }
) & {
  /** The CloudBase environment id. */
  readonly env: string
  readonly apiBaseUrl?: string
  readonly fetch?: FetchFunction
}

export interface WeChatHttpTransport extends Transport {
  readonly tokens: AccessTokenProvider
}

const ENDPOINT = 'WeChat /tcb/invokecloudfunction'

/**
 * Core's `Transport` over WeChat's HTTP API: `POST /tcb/invokecloudfunction?access_token&env&name` with the
 * envelope as body. A refused access_token (40001, 42001, 40014) is replaced once; the token never appears
 * in an error.
 */
export function createWeChatHttpTransport(options: WeChatHttpTransportOptions): WeChatHttpTransport {
  if (typeof options.env !== 'string' || options.env === '') {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'createWeChatHttpTransport needs env, the CloudBase environment id.',
      requestSent: false,
    })
  }
  const apiBaseUrl = (options.apiBaseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, '')
  const fetch = options.fetch ?? globalThis.fetch
  const tokens =
    'tokens' in options
      ? options.tokens
      : createAccessTokenManager({
          appId: options.appId,
          appSecret: options.appSecret,
          apiBaseUrl,
          fetch,
          ...(options.store === undefined ? {} : { store: options.store }),
          ...(options.stable === undefined ? {} : { stable: options.stable }),
        })
  const { env } = options

  async function invoke(request: TransportRequest, accessToken: string, fromInvoke: WeakSet<object>): Promise<unknown> {
    try {
      const { body } = await requestJson({
        url: `${apiBaseUrl}/tcb/invokecloudfunction?${new URLSearchParams({ access_token: accessToken, env, name: request.functionName })}`,
        method: 'POST',
        body: request.envelope,
        timeoutMs: request.timeout,
        signal: request.signal,
        fetch,
        endpoint: ENDPOINT,
      })
      if (isWeChatErrorReply(body)) throw invokeError(body, tokens.appId, accessToken, request.functionName)
      return body
    } catch (error) {
      if (typeof error === 'object' && error !== null) fromInvoke.add(error)
      throw error
    }
  }

  return {
    name: 'wechat-http',
    tokens,
    async send(request) {
      const fromInvoke = new WeakSet<object>()
      let reply: unknown
      try {
        reply = await tokens.withAccessToken((accessToken) => invoke(request, accessToken, fromInvoke))
      } catch (error) {
        if (PageModuleError.isInstance(error) && !fromInvoke.has(error)) throw beforeSending(error)
        throw error
      }
      return parseReply(reply, request.functionName)
    },
  }
}

function parseReply(reply: unknown, functionName: string): TransportResponse {
  const respData = (reply as { resp_data?: unknown } | null)?.resp_data
  if (typeof respData !== 'string') {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      message: `${ENDPOINT} answered without resp_data for function ${functionName} — check apiBaseUrl.`,
      requestSent: true,
    })
  }
  try {
    return { body: respData === '' ? undefined : (JSON.parse(respData) as unknown) }
  } catch {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      message: `function ${functionName} returned resp_data that is not JSON.`,
      requestSent: true,
    })
  }
}

function invokeError(reply: WeChatErrorReply, appId: string, accessToken: string, functionName: string): PageModuleError {
  const context = { appId, during: `invoking cloud function ${functionName}`, secrets: [accessToken] }
  const mapped = weChatApiError(reply, context)
  const make = (code: string, advice: string, retryable = false) =>
    new PageModuleError({
      code,
      message: `${mapped.message.split(' — ')[0]} — ${advice}`,
      retryable,
      requestSent: true,
      details: mapped.details,
    })
  switch (reply.errcode) {
    case -504002:
      return make('FUNCTION_FAILED', 'the function threw or timed out (WeChat allows 5 s here); see its logs in the CloudBase console.')
    case -501000:
      return make('FUNCTION_NOT_FOUND', `deploy ${functionName} to env, or pass functionName if it is deployed under another name.`)
    case 85088:
      return make('INVALID_ENV', 'this appid has not enabled 云开发; open it in DevTools → 云开发 and check env.')
    case -1000:
      return make('WECHAT_SYSTEM_BUSY', 'WeChat is busy; try again shortly.', true)
    default:
      return mapped
  }
}

// The token could not be had, so the function never ran: core may retry this safely.
function beforeSending(error: PageModuleError): PageModuleError {
  return new PageModuleError({
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    requestSent: false,
    details: error.details,
    cause: error,
  })
}
