// The official signer as a test oracle, with its intermediate strings captured from the hashing helpers it calls.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

interface OfficialSignInput {
  secretId: string
  secretKey: string
  method: string
  url: string
  headers: Record<string, unknown>
  params: Record<string, unknown>
  timestamp: number
}

interface SignerModule {
  sign(input: OfficialSignInput & { withSignedParams: boolean }): { authorization: string; timestamp: number }
  Signer: { calcParamsHash(params: unknown): string; formatKeyAndValue(params: unknown): unknown }
}

interface HashingHelpers {
  sha256hash: (text: string, encoding?: string) => string
  sha256hmac: (text: string, secret?: unknown, encoding?: string) => unknown
}

const signer = require('@cloudbase/signature-nodejs') as SignerModule
const helpers = require('@cloudbase/signature-nodejs/lib/utils') as HashingHelpers

export interface OfficialSignature {
  authorization: string
  canonicalRequest: string
  stringToSign: string
  hashedPayload: string
}

/** Signs as `@cloudbase/node-sdk` does (`withSignedParams: true`) and returns what the signer hashed on the way. */
export function officialSign(input: OfficialSignInput): OfficialSignature {
  const hashed: string[] = []
  const macced: string[] = []
  const { sha256hash, sha256hmac } = helpers
  helpers.sha256hash = (text, encoding) => (hashed.push(text), sha256hash(text, encoding))
  helpers.sha256hmac = (text, secret, encoding) => (macced.push(text), sha256hmac(text, secret, encoding))
  try {
    const { authorization } = signer.sign({ ...input, withSignedParams: true })
    const canonicalRequest = hashed.find((text) => text.startsWith(`${input.method}\n`)) ?? ''
    const stringToSign = macced.find((text) => text.startsWith('TC3-HMAC-SHA256\n')) ?? ''
    const hashedPayload = canonicalRequest.slice(canonicalRequest.lastIndexOf('\n') + 1)
    return { authorization, canonicalRequest, stringToSign, hashedPayload }
  } finally {
    helpers.sha256hash = sha256hash
    helpers.sha256hmac = sha256hmac
  }
}

/** Verifies a request the way a CloudBase server does: re-sign with the signed headers, the body and X-Timestamp. */
export function verifyWithOfficialSigner(
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string },
  credentials: { secretId: string; secretKey: string },
): { ok: boolean; reason?: string } {
  const authorization = String(request.headers.authorization ?? '')
  const signedHeaders = /SignedHeaders=([^,]*)/.exec(authorization)?.[1]?.split(';') ?? []
  const timestamp = Number(request.headers['x-timestamp'])
  if (!authorization.startsWith('TC3-HMAC-SHA256 ')) return { ok: false, reason: 'not a TC3 authorization' }
  if (!authorization.includes(`Credential=${credentials.secretId}/`)) return { ok: false, reason: 'unknown secretId' }
  const headers: Record<string, string> = {}
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '')
  let params: Record<string, unknown>
  try {
    params = JSON.parse(request.body) as Record<string, unknown>
  } catch {
    return { ok: false, reason: 'body is not JSON' }
  }
  const expected = signer.sign({
    ...credentials,
    method: 'post',
    url: `http://${String(request.headers.host)}${request.url}`,
    headers,
    params,
    timestamp,
    withSignedParams: true,
  })
  return expected.authorization === authorization ? { ok: true } : { ok: false, reason: 'signature mismatch' }
}
