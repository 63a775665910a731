import { timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { sign } from '@cloudbase/signature-nodejs'

/** CloudBase's window: a signature is good for 600 s around its `X-Timestamp`. */
export const SIGNATURE_WINDOW_SECONDS = 600

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/tcb\/tc3_request, (?:SignedParams=([^,]*), )?SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/

export interface SignedRequest {
  /** The path and raw query, as received (`/admin?env=…&seqId=…`). */
  readonly pathAndQuery: string
  readonly headers: IncomingHttpHeaders
  /** The parsed JSON body: CloudBase signs it as the request's params. */
  readonly body: Record<string, unknown>
}

export type SignatureCheck = { readonly ok: true; readonly secretId: string } | { readonly ok: false; readonly message: string }

/**
 * Verifies a CloudBase `/admin` request the way the cloud does: recompute the signature with the official
 * signer over the headers the client says it signed, the JSON body as params, method `post`, the URL
 * `http://<Host><path?query>` and the `X-Timestamp`; then compare in constant time.
 */
export function verifySignature(
  request: SignedRequest,
  secretKeyOf: (secretId: string) => string | undefined,
  nowSeconds: number,
): SignatureCheck {
  const authorization = header(request.headers, 'authorization')
  const match = authorization === undefined ? null : AUTHORIZATION.exec(authorization)
  if (!authorization || !match)
    return { ok: false, message: 'the Authorization header is missing or is not a TC3-HMAC-SHA256 CloudBase signature' }
  const [, secretId = '', , signedParams, signedHeaders = ''] = match
  const timestampText = header(request.headers, 'x-timestamp') ?? ''
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, message: 'the X-Timestamp header is missing or not a number of seconds' }
  const timestamp = Number(timestampText)
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_WINDOW_SECONDS) {
    return {
      ok: false,
      message:
        `the signature expired: X-Timestamp is ${nowSeconds - timestamp} s from now, more than ${SIGNATURE_WINDOW_SECONDS} s` +
        ` — check the clock`,
    }
  }
  const ambiguous = collidingKeys(request.body)
  if (ambiguous !== undefined) {
    return {
      ok: false,
      message:
        `the body's keys ${ambiguous.map((key) => JSON.stringify(key)).join(' and ')} are one key once lower-cased and trimmed, ` +
        'as the signature sees them — send each field once, as the SDK names it',
    }
  }
  const secretKey = secretKeyOf(secretId)
  if (secretKey === undefined) return { ok: false, message: `the secretId ${secretId} is unknown to this environment` }

  const headers: Record<string, string> = {}
  for (const name of signedHeaders.split(';')) {
    const value = header(request.headers, name)
    if (value === undefined) return { ok: false, message: `the signed header ${name} is missing from the request` }
    headers[name] = value
  }
  if (headers.host === undefined || headers['content-type'] === undefined)
    return { ok: false, message: 'host and content-type must be signed' }

  let expected: string
  try {
    expected = sign({
      secretId,
      secretKey,
      method: 'post',
      url: `http://${headers.host}${request.pathAndQuery}`,
      headers,
      params: request.body,
      timestamp,
      withSignedParams: signedParams !== undefined,
    }).authorization
  } catch (error) {
    return { ok: false, message: `the request cannot be signed: ${(error as Error).message}` }
  }
  const given = Buffer.from(authorization)
  const wanted = Buffer.from(expected)
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, message: 'the signature does not match — wrong secretKey, or the body or a signed header changed after signing' }
  }
  return { ok: true, secretId }
}

/**
 * Two body keys the signature cannot tell apart (it covers keys lower-cased and trimmed): with them, a captured
 * request could be re-targeted (`function_name` changed, the signed value kept under `Function_Name`).
 */
function collidingKeys(body: Record<string, unknown>): [string, string] | undefined {
  const seen = new Map<string, string>()
  for (const key of Object.keys(body)) {
    const canonical = key.toLowerCase().trim()
    const earlier = seen.get(canonical)
    if (earlier !== undefined) return [earlier, key]
    seen.set(canonical, key)
  }
  return undefined
}

/** A cheap look before the body is read: an Authorization header of CloudBase's form and an X-Timestamp. */
export function looksSigned(headers: IncomingHttpHeaders): boolean {
  const authorization = header(headers, 'authorization')
  return authorization !== undefined && AUTHORIZATION.test(authorization) && /^\d{1,12}$/.test(header(headers, 'x-timestamp') ?? '')
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(',') : value
}
