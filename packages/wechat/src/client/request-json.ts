import { PageModuleError, type AbortSignalLike } from '@page-module/core'
import { systemErrorCode } from './system-error-code'

/** The part of the global `fetch` this package uses; inject your own (a proxy agent, a test double). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>

export interface JsonRequest {
  /** May carry a secret or an access_token in its query: it never appears in an error. */
  readonly url: string
  readonly method: 'GET' | 'POST' | 'PUT'
  /**
   * JSON-encoded, or sent as it is when it is a `FormData` (multipart, boundary set by fetch) or a `ReadableStream`
   * (streamed as it is read; give its content-type in `headers`).
   */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly timeoutMs: number
  readonly signal?: AbortSignalLike | undefined
  readonly fetch: FetchFunction
  /** Names the endpoint in messages, without its query: `WeChat /cgi-bin/token`. */
  readonly endpoint: string
  /** Parses a JSON answer. Default `JSON.parse`. */
  readonly parseJson?: ((text: string) => unknown) | undefined
}

export interface JsonResponse {
  readonly status: number
  readonly body: unknown
}

/** What `requestBytes` resolves with: JSON when the answer says it is JSON, the bytes otherwise. */
export type BytesOrJsonResponse =
  | { readonly status: number; readonly kind: 'json'; readonly body: unknown }
  | { readonly status: number; readonly kind: 'bytes'; readonly contentType: string; readonly bytes: Buffer }

// Errors raised before a byte left: retrying cannot run anything twice.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * One JSON request with a timeout. Network failures, timeouts, HTTP statuses other than 2xx (unless
 * `acceptStatus` takes them) and unparsable bodies reject with a `PageModuleError` that names the endpoint
 * but never the URL.
 */
export async function requestJson(request: JsonRequest, acceptStatus: (status: number) => boolean = isOk): Promise<JsonResponse> {
  return exchange(request, acceptStatus, async (response) => ({
    status: response.status,
    body: parseJson(await response.text(), request, response.status),
  }))
}

/**
 * Like `requestJson`, for APIs that answer an image or a file on success and a JSON error with the same HTTP 200
 * (wxacode, media): the Content-Type tells them apart.
 */
export async function requestBytes(request: JsonRequest): Promise<BytesOrJsonResponse> {
  return exchange(request, isOk, async (response) => {
    const contentType = response.headers.get('content-type') ?? ''
    if (/[/+]json\b|^text\/plain/i.test(contentType))
      return { status: response.status, kind: 'json', body: parseJson(await response.text(), request, response.status) }
    return { status: response.status, kind: 'bytes', contentType, bytes: Buffer.from(await response.arrayBuffer()) }
  })
}

/**
 * The one request primitive under `requestJson` and `requestBytes`: the same timeout, abort and network-error
 * mapping, with the caller reading the response (a COS upload's XML answer, a file download).
 */
export async function requestAndRead<Result>(
  request: JsonRequest,
  acceptStatus: (status: number) => boolean,
  read: (response: Response) => Promise<Result>,
): Promise<Result> {
  return exchange(request, acceptStatus, read)
}

async function exchange<Result>(
  request: JsonRequest,
  acceptStatus: (status: number) => boolean,
  read: (response: Response) => Promise<Result>,
): Promise<Result> {
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
        headers: headersOf(request),
        ...bodyOf(request.body),
        // Never followed: the request carries the AppSecret or an access_token, which must not reach another host.
        redirect: 'manual',
        signal: controller.signal,
      })
    } catch (error) {
      throw failureOf(error, request, timedOut)
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined)
      throw new PageModuleError({
        code: 'HTTP_ERROR',
        message:
          `${request.endpoint} answered a redirect (HTTP ${response.status}), which is not followed: the request carries a secret ` +
          '— point apiBaseUrl at the API itself.',
        requestSent: true,
        details: { status: response.status },
      })
    }
    if (!acceptStatus(response.status)) {
      await response.body?.cancel().catch(() => undefined)
      throw new PageModuleError({
        code: 'HTTP_ERROR',
        message: `${request.endpoint} answered HTTP ${response.status} — check apiBaseUrl and any proxy in between.`,
        retryable: response.status === 429 || response.status >= 500,
        requestSent: true,
        details: { status: response.status },
      })
    }
    try {
      return await read(response)
    } catch (error) {
      throw PageModuleError.isInstance(error) ? error : failureOf(error, request, timedOut)
    }
  } finally {
    clearTimeout(timer)
    request.signal?.removeEventListener('abort', onCallerAbort)
  }
}

function headersOf(request: JsonRequest): Record<string, string> {
  const json = request.body !== undefined && !(request.body instanceof FormData) && !(request.body instanceof ReadableStream)
  return { accept: 'application/json', ...(json ? { 'content-type': 'application/json' } : {}), ...request.headers }
}

function bodyOf(body: unknown): { body?: string | FormData | ReadableStream; duplex?: 'half' } {
  if (body === undefined) return {}
  // fetch sends a stream body only as it is read, and requires `duplex: 'half'` to say so.
  if (body instanceof ReadableStream) return { body, duplex: 'half' }
  return { body: body instanceof FormData ? body : JSON.stringify(body) }
}

function parseJson(text: string, request: JsonRequest, status: number): unknown {
  try {
    return request.parseJson ? request.parseJson(text) : (JSON.parse(text) as unknown)
  } catch {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      message: `${request.endpoint} answered something that is not JSON — check apiBaseUrl.`,
      requestSent: true,
      details: { status },
    })
  }
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300
}

function failureOf(error: unknown, request: JsonRequest, timedOut: boolean): PageModuleError {
  if (timedOut) {
    return new PageModuleError({
      code: 'TIMEOUT',
      message: `${request.endpoint} did not answer within ${request.timeoutMs} ms.`,
      retryable: true,
    })
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
