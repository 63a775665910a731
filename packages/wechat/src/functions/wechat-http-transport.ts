import { PageModuleError, type Transport, type TransportResponse } from '@page-module/core'
import { createWeChatClient, type WeChatClientOptions } from '../client/wechat-client'
import type { WeChatErrcodeTable } from '../client/wechat-errors'
import type { AccessTokenProvider } from '../tokens/with-access-token'

export type WeChatHttpTransportOptions = WeChatClientOptions & {
  /** The CloudBase environment id. */
  readonly env: string
}

export interface WeChatHttpTransport extends Transport {
  readonly tokens: AccessTokenProvider
}

const ENDPOINT = 'WeChat /tcb/invokecloudfunction'

/** The errcodes of tcb/invokecloudfunction itself; the rest are WeChat's general ones. */
function invokeErrcodes(functionName: string): WeChatErrcodeTable {
  return {
    [-504002]: {
      code: 'FUNCTION_FAILED',
      advice: 'the function threw or timed out (WeChat allows 5 s here); see its logs in the CloudBase console.',
    },
    [-501000]: {
      code: 'FUNCTION_NOT_FOUND',
      advice: `deploy ${functionName} to env, or pass functionName if it is deployed under another name.`,
    },
    85088: { code: 'INVALID_ENV', advice: 'this appid has not enabled 云开发; open it in DevTools → 云开发 and check env.' },
    [-1000]: { code: 'WECHAT_SYSTEM_BUSY', advice: 'WeChat is busy; try again shortly.', retryable: true },
  }
}

/**
 * Core's `Transport` over WeChat's HTTP API: `POST /tcb/invokecloudfunction?access_token&env&name` with the
 * envelope as body, through the one WeChat client (token in the query, one retry with a fresh token, errcodes
 * mapped with the token removed, token failures marked as not sent).
 */
export function createWeChatHttpTransport(options: WeChatHttpTransportOptions): WeChatHttpTransport {
  if (typeof options.env !== 'string' || options.env === '') {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'createWeChatHttpTransport needs env, the CloudBase environment id.',
      requestSent: false,
    })
  }
  const { env } = options
  const client = createWeChatClient(options)
  return {
    name: 'wechat-http',
    tokens: client.tokens,
    async send(request) {
      const reply = await client.call({
        path: '/tcb/invokecloudfunction',
        query: { env, name: request.functionName },
        body: request.envelope,
        during: `invoking cloud function ${request.functionName}`,
        errcodes: invokeErrcodes(request.functionName),
        timeout: request.timeout,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      })
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
