import type { IncomingMessage, ServerResponse } from 'node:http'

/** SCF's limit for a synchronous invocation's payload, plus room for the request around it. */
const MAX_BODY_BYTES = 8 * 1024 * 1024

/** The request body as text; rejects past the size limit. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new Error(`the request body is larger than ${MAX_BODY_BYTES} bytes`)
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
