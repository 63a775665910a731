// A CloudBase `/admin` endpoint on 127.0.0.1 for tests: verifies each request with the official signer and answers
// with whatever shape the test scripts next (success by default, echoing the envelope like a module host).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWithOfficialSigner } from './official-signer'

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  /** Header names in the order they arrived. */
  readonly headerOrder: string[]
  readonly body: string
  readonly params: Record<string, unknown>
  readonly verified: boolean
}

export type Answer =
  | { readonly kind: 'success' }
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown }
  | { readonly kind: 'text'; readonly status: number; readonly text: string }
  | { readonly kind: 'slow'; readonly milliseconds: number }
  | { readonly kind: 'reset-before-answer' }
  | { readonly kind: 'reset-in-body' }

export interface LoopbackCloudBase {
  /** `http://127.0.0.1:<port>/admin` */
  readonly serviceUrl: string
  readonly requests: RecordedRequest[]
  /** Answers the next requests in order; then success again. */
  script(...answers: Answer[]): void
  close(): Promise<void>
}

export interface LoopbackOptions {
  readonly credentials: ReadonlyArray<{ secretId: string; secretKey: string }>
  /** Accepted `Authorization: Bearer <key>`. */
  readonly apiKey?: string
}

let served = 0

export async function startLoopbackCloudBase(options: LoopbackOptions): Promise<LoopbackCloudBase> {
  const requests: RecordedRequest[] = []
  const queue: Answer[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const verified = isAuthorized(request, body, options)
      const params = safeParse(body)
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        headerOrder: headerNames(request.rawHeaders),
        body,
        params,
        verified,
      })
      const requestId = `loop-${++served}`
      const answer = queue.shift() ?? { kind: 'success' }
      if (!verified) return sendJson(response, 200, { code: 'SIGN_PARAM_INVALID', message: 'signature verification failed', requestId })
      answerWith(answer, response, params, requestId)
    })
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    serviceUrl: `http://127.0.0.1:${port}/admin`,
    requests,
    script: (...answers) => void queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function answerWith(answer: Answer, response: http.ServerResponse, params: Record<string, unknown>, requestId: string): void {
  switch (answer.kind) {
    case 'success': {
      const event = safeParse(String(params.request_data ?? ''))
      const moduleAnswer = { code: 0, data: { echo: event.data ?? null, method: event.method }, requestId: event.requestId }
      return sendJson(response, 200, { requestId, data: { response_data: JSON.stringify(moduleAnswer) } })
    }
    case 'json':
      return sendJson(response, answer.status ?? 200, { requestId, ...(answer.body as object) })
    case 'text':
      response.writeHead(answer.status, { 'content-type': 'text/plain' })
      return void response.end(answer.text)
    case 'slow': {
      const timer = setTimeout(() => answerWith({ kind: 'success' }, response, params, requestId), answer.milliseconds)
      response.on('close', () => clearTimeout(timer))
      return
    }
    case 'reset-before-answer':
      return void response.socket?.destroy()
    case 'reset-in-body':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      response.write('{"requestId":"')
      setTimeout(() => response.socket?.destroy(), 10)
  }
}

function isAuthorized(request: http.IncomingMessage, body: string, options: LoopbackOptions): boolean {
  const authorization = request.headers.authorization ?? ''
  if (options.apiKey !== undefined && authorization === `Bearer ${options.apiKey}`) return true
  const message = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body }
  return options.credentials.some((credentials) => verifyWithOfficialSigner(message, credentials).ok)
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

function headerNames(rawHeaders: string[]): string[] {
  return rawHeaders.filter((_, index) => index % 2 === 0)
}

function safeParse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
