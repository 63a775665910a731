import crypto, { createHmac } from 'node:crypto'

export const SIGNATURE_ALGORITHM = 'TC3-HMAC-SHA256'
const SERVICE = 'tcb'
const CONTENT_TYPE = 'content-type'
const MULTIPART = 'multipart/form-data'

export type SignableValue = string | number | boolean | null | undefined | object

export interface SignCloudBaseRequestInput {
  readonly secretId: string
  readonly secretKey: string
  /** As CloudBase's SDK passes it: `post`, lower-case (the method is signed verbatim). */
  readonly method: string
  /** The full URL with its query, e.g. `https://env.tcb-api.tencentcloudapi.com/admin?env=env&seqId=1`. */
  readonly url: string
  /** Every header to sign; `host` and `content-type` are required. */
  readonly headers: Readonly<Record<string, SignableValue>>
  /** The JSON body as an object (ignored for GET). */
  readonly params: Readonly<Record<string, SignableValue>>
  /** Seconds since the epoch. */
  readonly timestamp: number
}

/** The Authorization header and every intermediate, so each step can be compared with the official signer. */
export interface CloudBaseSignature {
  readonly authorization: string
  readonly timestamp: number
  readonly canonicalHeaders: string
  readonly signedHeaders: readonly string[]
  readonly signedParams: readonly string[]
  readonly hashedPayload: string
  readonly canonicalRequest: string
  readonly credentialScope: string
  readonly stringToSign: string
  readonly signature: string
}

/**
 * Signs a request with CloudBase's variant of TC3-HMAC-SHA256 (service `tcb`, signed params, lower-cased header
 * values), exactly as `@cloudbase/signature-nodejs` does for `withSignedParams: true`. Pure: the clock is an input.
 */
export function signCloudBaseRequest(input: SignCloudBaseRequestInput): CloudBaseSignature {
  const { host, query, signedUrl } = splitUrl(input.url)
  const headers = signedEntries(input.headers, 'headers')
  const headerKeys = headers.map(([key]) => key)
  if (headers.find(([key]) => key === 'host')?.[1] !== host) throw new TypeError(`the signed host header must equal the URL's host ${host}`)
  if (!headers.find(([key]) => key === CONTENT_TYPE)?.[1]) throw new TypeError('a content-type header must be signed')
  const canonicalHeaders = headers.map(([key, value]) => `${key}:${value}\n`).join('')

  const signedParams: string[] = []
  let payload = ''
  if (input.method.toUpperCase() !== 'GET') {
    for (const [key, value] of signedEntries(input.params, 'params')) {
      // Empty values are left out of the payload hash and the SignedParams list.
      if (!value) continue
      signedParams.push(key)
      payload += `&${key}=${value}\r\n`
    }
  }
  const hashedPayload = sha256Hex(payload)

  const canonicalRequest = `${input.method}\n${signedUrl}\n${query}\n${canonicalHeaders}\n${headerKeys.join(';')}\n${hashedPayload}`
  const { authorization, credentialScope, stringToSign, signature } = signCanonicalRequest({
    secretId: input.secretId,
    secretKey: input.secretKey,
    timestamp: input.timestamp,
    canonicalRequest,
    signedParams,
    signedHeaders: headerKeys,
  })
  return {
    authorization,
    timestamp: input.timestamp,
    canonicalHeaders,
    signedHeaders: headerKeys,
    signedParams,
    hashedPayload,
    canonicalRequest,
    credentialScope,
    stringToSign,
    signature,
  }
}

export interface SignCanonicalRequestInput {
  readonly secretId: string
  readonly secretKey: string
  readonly timestamp: number
  readonly canonicalRequest: string
  readonly signedParams: readonly string[]
  readonly signedHeaders: readonly string[]
}

/** The last steps of the signature: string to sign, TC3 key derivation, Authorization header. */
export function signCanonicalRequest(
  input: SignCanonicalRequestInput,
): Pick<CloudBaseSignature, 'authorization' | 'credentialScope' | 'stringToSign' | 'signature'> {
  const date = utcDateOf(input.timestamp)
  const credentialScope = `${date}/${SERVICE}/tc3_request`
  const stringToSign = `${SIGNATURE_ALGORITHM}\n${input.timestamp}\n${credentialScope}\n${sha256Hex(input.canonicalRequest)}`
  const signature = signingKeyFor(input.secretKey, date).sign(stringToSign)
  const authorization =
    `${SIGNATURE_ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedParams=${input.signedParams.join(';')}, ` +
    `SignedHeaders=${input.signedHeaders.join(';')}, Signature=${signature}`
  return { authorization, credentialScope, stringToSign, signature }
}

/**
 * Host (with port, lower-cased) and raw query, as Node's legacy `url.parse` gives them to the official signer, and
 * the signed URL: the URL without its scheme and query (`//host:port/admin`).
 */
export function splitUrl(url: string): { host: string; query: string; signedUrl: string } {
  const schemeEnd = url.indexOf('://')
  if (schemeEnd <= 0 || !SCHEME.test(url.slice(0, schemeEnd))) throw new TypeError('the URL to sign must be absolute')
  const hostStart = schemeEnd + 3
  const fragment = url.indexOf('#', hostStart)
  const end = fragment < 0 ? url.length : fragment
  const queryStart = url.indexOf('?', hostStart)
  const pathEnd = queryStart < 0 || queryStart > end ? end : queryStart
  const slash = url.indexOf('/', hostStart)
  const hostEnd = slash < 0 || slash > pathEnd ? pathEnd : slash
  const withoutScheme = HTTP_SCHEME.test(url) ? url.slice(url.indexOf(':') + 1) : url
  return {
    host: url.slice(hostStart, hostEnd).toLowerCase(),
    query: pathEnd === end ? '' : url.slice(pathEnd + 1, end),
    signedUrl: withoutScheme.split('?')[0] ?? '',
  }
}

const SCHEME = /^[a-z][a-z0-9+.-]*$/i
const HTTP_SCHEME = /^https?:/

// Formatting a Date costs more than the rest of the string work; the date changes once a day.
let lastDate = { timestamp: Number.NaN, date: '' }

export function utcDateOf(timestamp: number): string {
  if (timestamp !== lastDate.timestamp) lastDate = { timestamp, date: new Date(timestamp * 1000).toISOString().slice(0, 10) }
  return lastDate.date
}

/**
 * Headers or params as the signer sees them: names lower-cased and encoded, values formatted (header values
 * lower-cased too), in the official signer's order; empty params are kept (the payload leaves them out).
 */
export function signedEntries(record: Readonly<Record<string, SignableValue>>, kind: 'headers' | 'params'): Array<[string, string]> {
  const entries = formatEntries(record, kind === 'headers')
  return sortedKeys(entries).map((key) => [key, entries.get(key) ?? ''])
}

function formatEntries(record: Readonly<Record<string, SignableValue>>, lowerCaseValues: boolean): Map<string, string> {
  const entries = new Map<string, string>()
  for (const key of Object.keys(record)) {
    const value = record[key]
    if (key === '' || value === undefined) continue
    const name = encodeKey(key.toLowerCase().trim())
    if (name === CONTENT_TYPE && typeof value === 'string') {
      // The content type is signed verbatim, except that a multipart boundary is dropped.
      entries.set(name, value.startsWith(MULTIPART) ? MULTIPART : value)
      continue
    }
    const text = (typeof value === 'string' ? value : String(JSON.stringify(value))).trim()
    entries.set(name, lowerCaseValues ? text.toLowerCase() : text)
  }
  return entries
}

// The official signer sorts with localeCompare (ICU order), which differs from byte order for `_`, `-`, `.`.
// ICU comparisons are the dearest part of the string work, and a client sends the same keys every time: the
// order of the last few key lists is kept.
const sortedKeyLists = new Map<string, readonly string[]>()

function sortedKeys(entries: Map<string, string>): string[] {
  const keys = [...entries.keys()]
  const listKey = keys.join('\n')
  const known = sortedKeyLists.get(listKey)
  if (known !== undefined) return [...known]
  const sorted = keys.sort((left, right) => left.localeCompare(right))
  if (sortedKeyLists.size >= 16) sortedKeyLists.clear()
  sortedKeyLists.set(listKey, [...sorted])
  return sorted
}

function encodeKey(key: string): string {
  if (PLAIN_KEY.test(key)) return key
  return encodeURIComponent(key).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
}

// The derived key changes once a day per secret; keeping the last one saves three of the four HMACs (the bulk
// of a signature's cost) on every request.
let lastSigningKey: { secretKey: string; date: string; sign: (text: string) => string } | undefined

export function signingKeyFor(secretKey: string, date: string): { sign: (text: string) => string } {
  if (lastSigningKey?.secretKey === secretKey && lastSigningKey.date === date) return lastSigningKey
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), SERVICE), 'tc3_request')
  lastSigningKey = { secretKey, date, sign: hmacSigner(key) }
  return lastSigningKey
}

/**
 * HMAC-SHA256 with a fixed key as two one-shot hashes over the padded key (RFC 2104): createHmac sets up a key
 * object on every call, which costs more than the hashing itself. The padded blocks live in buffers made once, the
 * text written after the inner one, the inner digest after the outer one: nothing is copied into a new buffer.
 */
function hmacSigner(key: Buffer): (text: string) => string {
  const hash = oneShotHash
  if (hash === undefined) return (text) => createHmac('sha256', key).update(text).digest('hex')
  const block = Buffer.alloc(64)
  key.copy(block)
  const inner = Buffer.alloc(64 + MAX_INLINE_TEXT_BYTES)
  const outer = Buffer.alloc(64 + 32)
  for (let index = 0; index < 64; index++) {
    inner[index] = (block[index] as number) ^ 0x36
    outer[index] = (block[index] as number) ^ 0x5c
  }
  return (text) => {
    // A string to sign is ASCII and about 120 bytes; anything longer is hashed from a buffer of its own.
    const innerDigest =
      text.length * 3 <= MAX_INLINE_TEXT_BYTES
        ? hash('sha256', inner.subarray(0, 64 + inner.write(text, 64)), 'hex')
        : hash('sha256', Buffer.concat([inner.subarray(0, 64), Buffer.from(text)]), 'hex')
    // A digest as hex and written back is cheaper than one asked for as a Buffer.
    outer.write(innerDigest, 64, 'hex')
    return hash('sha256', outer, 'hex')
  }
}

const MAX_INLINE_TEXT_BYTES = 512

// Characters encodeURIComponent leaves alone and the signer does not escape either: most keys need no encoding.
const PLAIN_KEY = /^[a-z0-9_.~-]*$/

// crypto.hash (Node >= 20.12) is a one-shot digest without a Hash object; older Nodes take the long way.
type OneShotHash = (algorithm: string, data: string | Buffer, encoding: 'hex') => string
const oneShotHash = (crypto as { hash?: OneShotHash }).hash

export function sha256Hex(text: string): string {
  return oneShotHash === undefined ? crypto.createHash('sha256').update(text).digest('hex') : oneShotHash('sha256', text, 'hex')
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest()
}
