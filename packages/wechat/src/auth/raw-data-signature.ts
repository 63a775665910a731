import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/** True when `signature` is `sha1(rawData + sessionKey)`, WeChat's signature of getUserInfo's `rawData`. */
export function verifyRawData({ rawData, signature, sessionKey }: { rawData: string; signature: string; sessionKey: string }): boolean {
  const expected = createHash('sha1')
    .update(rawData + sessionKey, 'utf8')
    .digest('hex')
  return sameText(expected, signature.toLowerCase())
}

/**
 * The login-state signature `hmac_sha256(key = session_key, message)`: the key is the session_key string's UTF-8
 * bytes (not base64-decoded); the message is the POST body, or `''` for GET and for `wxa/checksession`.
 */
export function loginStateSignature({ sessionKey, message = '' }: { sessionKey: string; message?: string }): string {
  return createHmac('sha256', Buffer.from(sessionKey, 'utf8')).update(message, 'utf8').digest('hex')
}

/** True when `signature` is the login-state signature of `message`; compared in constant time. */
export function verifyLoginState(input: { sessionKey: string; message?: string; signature: string }): boolean {
  return sameText(loginStateSignature(input), input.signature.toLowerCase())
}

/** Constant-time equality of two strings. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  return left.length === right.length && timingSafeEqual(left, right)
}
