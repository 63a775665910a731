import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

import type { RequestHandler } from '../push/push-gateway'

export type { RequestHandler }

export interface NodeAdapterOptions {
  /** The origin requests are seen under (`https://app.example`). Default: `http://<Host header>`. */
  readonly origin?: string
}

/** The Web `Request` for a Node request; Express's `originalUrl` is used when mounted under a path. */
export function toWebRequest(request: IncomingMessage & { originalUrl?: string }, options: NodeAdapterOptions = {}): Request {
  const origin = options.origin ?? `http://${request.headers.host ?? '127.0.0.1'}`
  const url = new URL(request.originalUrl ?? request.url ?? '/', origin)
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each)
    else if (value !== undefined) headers.set(name, value)
  }
  const method = request.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit)
}

/** Writes a Web `Response` to a Node response (every `set-cookie` kept). */
export async function sendWebResponse(response: Response, target: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  const body = Buffer.from(await response.arrayBuffer())
  target.writeHead(response.status, { ...headers, 'content-length': String(body.length) })
  target.end(body)
}

/** A Node `(request, response)` listener (http.createServer, Express, Koa's `ctx.req`/`ctx.res`) for a Web handler. */
export function toNodeListener(handler: RequestHandler, options: NodeAdapterOptions = {}) {
  return (request: IncomingMessage, response: ServerResponse): Promise<void> =>
    handler(toWebRequest(request, options))
      .then((answer) => sendWebResponse(answer, response))
      .catch(() => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        response.end('internal error')
      })
}
