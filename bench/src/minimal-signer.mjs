// A minimal signer for CloudBase's TC3-HMAC-SHA256 variant, written from the protocol notes alone (nothing of
// @page-module/node), so that the bench's independent floor does not move with our code.
import crypto from 'node:crypto'

const DAY_SECONDS = 86_400

/**
 * Signs for one key pair. The signing key is derived once per UTC day; each request then costs one SHA-256 of the
 * params, one of the canonical request and one HMAC. `headers` and `params` are `[name, value]` pairs whose names
 * are lower-case and in the signer's sort order (for CloudBase's names that is byte order); params with an empty
 * value are left out, as the official signer does. Returns the Authorization header.
 */
export function createMinimalSigner({ secretId, secretKey }) {
  let keyDay = Number.NaN
  let scope = ''
  let signingKey
  return function sign({ timestamp, host, path, query, headers, params }) {
    const day = Math.floor(timestamp / DAY_SECONDS)
    if (day !== keyDay) {
      const date = new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 10)
      signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), 'tcb'), 'tc3_request')
      scope = `${date}/tcb/tc3_request`
      keyDay = day
    }
    let payload = ''
    let signedParams = ''
    for (const [name, value] of params) {
      const text = value.trim()
      if (text === '') continue
      payload += `&${name}=${text}\r\n`
      signedParams += signedParams === '' ? name : `;${name}`
    }
    let canonicalHeaders = ''
    let signedHeaders = ''
    for (const [name, value] of headers) {
      canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`
      signedHeaders += signedHeaders === '' ? name : `;${name}`
    }
    const canonicalRequest = `post\n//${host}${path}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${sha256Hex(payload)}`
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`
    const signature = crypto.createHmac('sha256', signingKey).update(stringToSign).digest('hex')
    const credential = `Credential=${secretId}/${scope}`
    return `TC3-HMAC-SHA256 ${credential}, SignedParams=${signedParams}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  }
}

function hmac(key, text) {
  return crypto.createHmac('sha256', key).update(text).digest()
}

// crypto.hash (Node >= 20.12) is the one-shot digest; older Nodes take a Hash object.
const sha256Hex = crypto.hash
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex')
