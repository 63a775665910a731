import http from 'node:http'
import https from 'node:https'
import { PageModuleError, type AbortSignalLike } from '@page-module/core'

export interface HttpExchangeInput {
  readonly url: string
  /**
   * The headers as a flat `[name, value, …]` list, `content-length` included: Node then writes them as given, where
   * an object is first stored header by header with setHeader (about a tenth of a keep-alive call's client CPU on
   * loopback). The list is handed to Node as it is.
   */
  readonly headerList: string[]
  readonly body: string
  /** Picked by the URL's scheme. */
  readonly agents: { readonly http: http.Agent; readonly https: https.Agent }
  readonly signal: AbortSignalLike
  /** An answer longer than this fails the call with `RESPONSE_TOO_LARGE` as soon as it is known, and is not read on. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * CloudBase caps a function's result at 6 MB; `/admin` carries it JSON-encoded once more (`response_data`), which
 * at worst doubles it. Kept far below what one string can hold, so reading an answer can never throw.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

export interface HttpExchangeResult {
  readonly status: number
  readonly text: string
}

// The answer's stream errors also close it, which the 'close' listener reports.
function ignoreError(): void {}

/**
 * One POST, with no retry. Rejects with a `PageModuleError` whose `requestSent` is `false` only when the request
 * provably never left (no connection), `true` once the answer began, and unknown in between.
 */
export function exchangeHttp(input: HttpExchangeInput): Promise<HttpExchangeResult> {
  return new Promise((resolve, reject) => {
    const secure = input.url.startsWith('https:')
    const request = (secure ? https : http).request(input.url, {
      method: 'POST',
      headers: input.headerList,
      agent: secure ? input.agents.https : input.agents.http,
    })
    // A socket the agent reused is connected already; it is set synchronously by http.request.
    let connected = request.reusedSocket
    let answering = false
    const fail = (error: PageModuleError) => {
      input.signal.removeEventListener('abort', onAbort)
      reject(error)
    }
    const onAbort = () => {
      request.destroy()
      fail(new PageModuleError({ code: 'ABORTED', message: 'the request was cancelled', requestSent: connected ? undefined : false }))
    }
    if (input.signal.aborted) return onAbort()
    input.signal.addEventListener('abort', onAbort)

    if (!connected) {
      request.on('socket', (socket) => {
        if (!socket.connecting) connected = true
        else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true))
      })
    }
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answering) return
      const code = error.code ?? error.name
      // Before the (TLS) connection is up no byte of the request can have reached the server.
      const neverLeft = !connected
      fail(
        new PageModuleError({
          code: 'NETWORK',
          retryable: true,
          requestSent: neverLeft ? false : undefined,
          details: { errno: code },
          cause: error,
          message: neverLeft
            ? `could not connect to ${request.host} (${code}) — check serviceUrl, the network, or DNS; nothing was sent`
            : `the connection to ${request.host} failed (${code}) before an answer — the function may or may not have run`,
        }),
      )
    })
    request.on('response', (response) => {
      answering = true
      const maxBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
      const chunks: Buffer[] = []
      let received = 0
      let tooLarge = false
      const refuseTooLarge = (length: number) => {
        tooLarge = true
        chunks.length = 0
        request.destroy()
        fail(
          new PageModuleError({
            code: 'RESPONSE_TOO_LARGE',
            requestSent: true,
            details: { maxResponseBytes: maxBytes },
            message:
              `the answer from ${request.host} is at least ${length} bytes, over maxResponseBytes (${maxBytes}) — ` +
              'the function ran; return less (CloudBase allows 6 MB) or raise maxResponseBytes',
          }),
        )
      }
      response.on('error', ignoreError)
      const declared = Number(response.headers['content-length'])
      if (declared > maxBytes) return refuseTooLarge(declared)
      response.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (received > maxBytes) return tooLarge ? undefined : refuseTooLarge(received)
        chunks.push(chunk)
      })
      response.on('end', () => {
        if (tooLarge) return
        input.signal.removeEventListener('abort', onAbort)
        // Most answers arrive in one chunk: no copy through Buffer.concat for them.
        const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')
        resolve({ status: response.statusCode ?? 0, text })
      })
      response.on('close', () => {
        if (response.complete || input.signal.aborted || tooLarge) return
        input.signal.removeEventListener('abort', onAbort)
        reject(
          new PageModuleError({
            code: 'NETWORK',
            retryable: true,
            requestSent: true,
            message:
              `the connection to ${request.host} closed in the middle of the answer (HTTP ${response.statusCode ?? 0}) ` +
              `— the function ran; retry only with an idempotency key`,
          }),
        )
      })
    })
    request.end(input.body)
  })
}
