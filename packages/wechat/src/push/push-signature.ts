import { createHash } from 'node:crypto'
import { sameText } from '../auth/raw-data-signature'

/**
 * WeChat's push signature: `sha1` of the values sorted as strings and joined — `[token, timestamp, nonce]` for
 * `signature`, plus the `Encrypt` value for safe mode's `msg_signature`.
 */
export function pushSignature(values: readonly string[]): string {
  return createHash('sha1')
    .update([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(''), 'utf8')
    .digest('hex')
}

export interface SignedQuery {
  readonly token: string
  readonly signature: string | null
  readonly timestamp: string | null
  readonly nonce: string | null
}

/** True when `signature` is `sha1(sort([token, timestamp, nonce]))` (server verification and plain-mode pushes). */
export function verifySignature({ token, signature, timestamp, nonce }: SignedQuery): boolean {
  if (!signature || !timestamp || !nonce) return false
  return sameText(pushSignature([token, timestamp, nonce]), signature.toLowerCase())
}

/** The answer to WeChat's server verification (GET with `echostr`): `echostr` when the signature holds, else undefined. */
export function answerEchostr(query: SignedQuery & { readonly echostr: string | null }): string | undefined {
  return query.echostr !== null && verifySignature(query) ? query.echostr : undefined
}
