import type { ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]!)
}

/** COS's error answer: `<Error><Code>…</Code><Message>…</Message>…</Error>`, which the official SDKs parse. */
export function sendCosError(response: ServerResponse, status: number, code: string, message: string, resource: string): void {
  const requestId = randomBytes(16).toString('base64')
  const body =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>${escapeXml(code)}</Code>\n  <Message>${escapeXml(message)}</Message>\n` +
    `  <Resource>${escapeXml(resource)}</Resource>\n  <RequestId>${requestId}</RequestId>\n  <TraceId>${requestId}</TraceId>\n</Error>`
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-cos-request-id': requestId,
  })
  response.end(body)
}

/** What COS answers a form POST that asked for `success_action_status=201`. */
export function postResponseXml(location: string, bucket: string, key: string): string {
  return (
    `<?xml version='1.0' encoding='utf-8' ?>\n<PostResponse>\n  <Location>${escapeXml(location)}</Location>\n` +
    `  <Bucket>${escapeXml(bucket)}</Bucket>\n  <Key>${escapeXml(key)}</Key>\n</PostResponse>`
  )
}
