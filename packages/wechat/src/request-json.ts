import { PageModuleError, type AbortSignalLike } from '@page-module/core'
import { systemErrorCode } from './system-error-code'

/** The part of the global `fetch` this package uses; inject your own (a proxy agent, a test double). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>

export interface JsonRequest {
  /** May carry a secret or an access_token in its query: it never appears in an error. */
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly timeoutMs: number
  readonly signal?: AbortSignalLike | undefined
  readonly fetch: FetchFunction
  /** Names the endpoint in messages, without its query: `WeChat /cgi-bin/token`. */
  readonly endpoint: string
}

export interface JsonResponse {
  readonly status: number
  readonly body: unknown
}

// Errors raised before a byte left: retrying cannot run anything twice.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * One JSON request with a timeout. Network failures, timeouts, HTTP statuses other than 2xx (unless
 * `acceptStatus` takes them) and unparsable bodies reject with a `PageModuleError` that names the endpoint
 * but never the URL.
 */
export async function requestJson(request: JsonRequest, acceptStatus: (status: number) => boolean = isOk): Promise<JsonResponse> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, request.timeoutMs)
  const onCallerAbort = () => controller.abort()
  request.signal?.addEventListener('abort', onCallerAbort)
  if (request.signal?.aborted) controller.abort()
  try {
    let response: Response
    try {
      response = await request.fetch(request.url, {
        method: request.method,
        headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: controller.signal,
      })
    } catch (error) {
      throw failureOf(error, request, timedOut)
    }
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw failureOf(error, request, timedOut)
    }
    if (!acceptStatus(response.status)) {
      throw new PageModuleError({
        code: 'HTTP_ERROR',
        message: `${request.endpoint} answered HTTP ${response.status} — check apiBaseUrl and any proxy in between.`,
        retryable: response.status === 429 || response.status >= 500,
        requestSent: true,
        details: { status: response.status },
      })
    }
    try {
      return { status: response.status, body: JSON.parse(text) as unknown }
    } catch {
      throw new PageModuleError({
        code: 'BAD_RESPONSE',
        message: `${request.endpoint} answered something that is not JSON — check apiBaseUrl.`,
        requestSent: true,
        details: { status: response.status },
      })
    }
  } finally {
    clearTimeout(timer)
    request.signal?.removeEventListener('abort', onCallerAbort)
  }
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300
}

function failureOf(error: unknown, request: JsonRequest, timedOut: boolean): PageModuleError {
  if (timedOut) {
    return new PageModuleError({ code: 'TIMEOUT', message: `${request.endpoint} did not answer within ${request.timeoutMs} ms.`, retryable: true })
  }
  if (request.signal?.aborted) return new PageModuleError({ code: 'ABORTED', message: `the call to ${request.endpoint} was aborted.` })
  // undici wraps the socket error as `cause`; only its code is kept, a message could quote the URL.
  const systemCode = systemErrorCode((error as { cause?: unknown } | undefined)?.cause) ?? systemErrorCode(error)
  const sent = systemCode !== undefined && notSentCodes.has(systemCode) ? false : undefined
  return new PageModuleError({
    code: 'NETWORK',
    message: `${request.endpoint} could not be reached${systemCode ? ` (${systemCode})` : ''} — check apiBaseUrl, DNS and any proxy.`,
    retryable: true,
    requestSent: sent,
    details: systemCode ? { systemCode } : undefined,
  })
}
