import type { IncomingMessage, ServerResponse } from 'node:http'

/** SCF's limit for a synchronous invocation's payload (6 MB). */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024

/**
 * The largest body read: an event at SCF's limit, JSON-encoded once more as `/admin`'s `request_data` (which at
 * worst doubles it), plus room for the request around it.
 */
export const MAX_BODY_BYTES = 2 * MAX_EVENT_BYTES + 256 * 1024

/** Thrown by `readBody` past its limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the request body is larger than ${maxBytes} bytes`)
  }
}

/** The request body as text; rejects with `BodyTooLargeError` past the size limit, without reading on. */
export async function readBody(request: IncomingMessage, maxBytes: number = MAX_BODY_BYTES): Promise<string> {
  if (Number(request.headers['content-length']) > maxBytes) throw new BodyTooLargeError(maxBytes)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export type JsonBody =
  { readonly ok: true; readonly empty: false; readonly value: unknown } | { readonly ok: false; readonly empty: boolean }

/** Reads and parses a request's JSON body: `empty` when there is none, `ok: false` when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<JsonBody> {
  const text = await readBody(request)
  if (text.trim() === '') return { ok: false, empty: true }
  try {
    return { ok: true, empty: false, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, empty: false }
  }
}

/** Parses JSON text into a plain object, or undefined when it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

/** The path of a request without its query. */
export function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/'
  const query = url.indexOf('?')
  return query < 0 ? url : url.slice(0, query)
}
