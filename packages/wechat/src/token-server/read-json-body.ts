import type { IncomingMessage } from 'node:http'

export type JsonBody =
  { readonly ok: true; readonly empty: false; readonly value: unknown } | { readonly ok: false; readonly empty: boolean }

/** Reads and parses a request's JSON body, refusing more than `limitBytes`. */
export async function readJsonBody(request: IncomingMessage, limitBytes = 8 * 1024 * 1024): Promise<JsonBody> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limitBytes) return { ok: false, empty: false }
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return { ok: false, empty: true }
  try {
    return { ok: true, empty: false, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, empty: false }
  }
}
