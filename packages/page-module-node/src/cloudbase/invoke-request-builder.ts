import type { CloudBaseCredentials } from './credentials'
import { buildInvokeRequest, signatureTimestampOf, unsignedInvokeRequest, type InvokeRequestInput } from './invoke-request'
import { SIGNATURE_ALGORITHM, sha256Hex, signedEntries, signingKeyFor, splitUrl, utcDateOf } from './sign-request'

/** A request ready for `http.request`: the headers as a flat `[name, value, …]` list, `content-length` last. */
export interface PreparedInvokeRequest {
  readonly url: string
  readonly headerList: string[]
  readonly body: string
}

/**
 * `buildInvokeRequest` for a stream of calls. Everything that depends only on the options, the credentials, the
 * cloud context and the function — URL up to the seqId, headers, the canonical headers around the client
 * timestamp, the payload hash's text around the request data, the body around it, the Authorization up to the
 * signature — is prepared once and reused while those stay the same. A call then adds its seqId, clock and
 * request data, and pays one SHA-256 of the payload, one of the canonical request and one HMAC. The bytes are
 * buildInvokeRequest's (a test compares them); anything the template does not cover takes buildInvokeRequest.
 */
export function createInvokeRequestBuilder(): (input: InvokeRequestInput) => PreparedInvokeRequest {
  let template: Template | undefined
  return (input) => {
    if (template === undefined || !template.fits(input)) template = prepareTemplate(input)
    // A `#` in the seqId would end the signed query early; an empty request data leaves the signed params.
    if (template.parts === undefined || input.seqId.includes('#')) return fromGeneralBuild(input)
    const payloadData = input.requestData.trim()
    if (payloadData === '') return fromGeneralBuild(input)
    return template.parts.build(input, payloadData)
  }
}

function fromGeneralBuild(input: InvokeRequestInput): PreparedInvokeRequest {
  const { url, headers, body } = buildInvokeRequest(input)
  const headerList: string[] = []
  for (const name of Object.keys(headers)) headerList.push(name, headers[name] as string)
  headerList.push('content-length', String(Buffer.byteLength(body)))
  return { url, headerList, body }
}

interface Template {
  /** Whether `input` asks for the request this template was made for (seqId, clock and request data aside). */
  fits(input: InvokeRequestInput): boolean
  /** Absent when the template cannot make the request (a `#` in the URL, or a request the signer refuses). */
  readonly parts: TemplateParts | undefined
}

interface TemplateParts {
  build(input: InvokeRequestInput, payloadData: string): PreparedInvokeRequest
}

// The signed names of the two values that change per call besides the URL's seqId.
const CLIENT_TIMESTAMP = 'x-client-timestamp'
const REQUEST_DATA = 'request_data'

function prepareTemplate(input: InvokeRequestInput): Template {
  const made = { ...input, seqId: '', now: 0, requestData: '' }
  const { url, params, headers } = unsignedInvokeRequest(made)
  const fits = fitsFor(input)
  const { host, query, signedUrl } = splitUrl(url)
  if (url.includes('#') || !url.endsWith('seqId=') || !query.endsWith('seqId=')) return { fits, parts: undefined }

  // The wire headers in buildInvokeRequest's order; the three that change per call are filled in by index.
  headers.Authorization = ''
  headers['X-Signature-Expires'] = '600'
  headers['X-Timestamp'] = ''
  const headerList: string[] = []
  let clientTimestampAt = -1
  let authorizationAt = -1
  let timestampAt = -1
  for (const name of Object.keys(headers)) {
    if (name === 'X-Client-Timestamp') clientTimestampAt = headerList.length + 1
    else if (name === 'Authorization') authorizationAt = headerList.length + 1
    else if (name === 'X-Timestamp') timestampAt = headerList.length + 1
    headerList.push(name, headers[name] as string)
  }
  headerList.push('content-length', '')
  delete headers.Authorization
  delete headers['X-Signature-Expires']
  delete headers['X-Timestamp']

  // The body is JSON.stringify(params): every field a string (or left out), request_data among them.
  const bodyFields: string[] = []
  for (const name of Object.keys(params)) {
    const value = params[name]
    if (value !== undefined)
      bodyFields.push(name === REQUEST_DATA ? `"${REQUEST_DATA}":` : `${JSON.stringify(name)}:${JSON.stringify(value)}`)
  }
  const [bodyHead, bodyTail] = around(bodyFields, `"${REQUEST_DATA}":`, ',')
  const bodyEnd = `${bodyTail}}`
  const bodyStart = `{${bodyHead}`

  const credentials = input.credentials
  if (credentials.kind === 'api-key') {
    headerList[authorizationAt] = `Bearer ${credentials.accessKey}`
    return {
      fits,
      parts: {
        build({ seqId, now, requestData }) {
          const list = headerList.slice()
          const body = `${bodyStart}${JSON.stringify(requestData)}${bodyEnd}`
          list[clientTimestampAt] = String(now)
          list[timestampAt] = String(signatureTimestampOf(now))
          list[list.length - 1] = String(Buffer.byteLength(body))
          return { url: `${url}${seqId}`, headerList: list, body }
        },
      },
    }
  }

  // The canonical headers around the client timestamp (its value is digits, signed as they are).
  const signedHeaders = signedEntries(headers, 'headers')
  const signedHeaderNames = signedHeaders.map(([key]) => key).join(';')
  const valueOf = (key: string) => signedHeaders.find((entry) => entry[0] === key)?.[1]
  // As signCloudBaseRequest checks; it throws for the caller when the general build runs.
  if (valueOf('host') !== host || !valueOf('content-type')) return { fits, parts: undefined }
  const [headersHead, headersTail] = around(
    signedHeaders.map(([key, value]) => (key === CLIENT_TIMESTAMP ? `${key}:` : `${key}:${value}\n`)),
    `${CLIENT_TIMESTAMP}:`,
    '',
  )

  // The payload hash's text around the request data; empty params are left out, as the signer does.
  const payloadEntries = signedEntries(params, 'params').filter(([key, value]) => key === REQUEST_DATA || value !== '')
  const signedParams = payloadEntries.map(([key]) => key).join(';')
  const [payloadHead, payloadTail] = around(
    payloadEntries.map(([key, value]) => (key === REQUEST_DATA ? `&${key}=` : `&${key}=${value}\r\n`)),
    `&${REQUEST_DATA}=`,
    '',
  )

  const canonicalHead = `post\n${signedUrl}\n${query}`
  const canonicalMiddle = `\n${headersTail}\n${signedHeaderNames}\n`
  const { secretId, secretKey } = credentials
  const credentialTail = `, SignedParams=${signedParams}, SignedHeaders=${signedHeaderNames}, Signature=`
  let day = ''
  let scopeLines = ''
  let authorizationHead = ''
  return {
    fits,
    parts: {
      build({ seqId, now, requestData }, payloadData) {
        const timestamp = signatureTimestampOf(now)
        const date = utcDateOf(timestamp)
        if (date !== day) {
          day = date
          scopeLines = `\n${date}/tcb/tc3_request\n`
          authorizationHead = `${SIGNATURE_ALGORITHM} Credential=${secretId}/${date}/tcb/tc3_request${credentialTail}`
        }
        const clientTimestamp = String(now)
        const payloadHash = sha256Hex(`${payloadHead}${payloadData}\r\n${payloadTail}`)
        const canonicalRequest = `${canonicalHead}${seqId}\n${headersHead}${clientTimestamp}${canonicalMiddle}${payloadHash}`
        const stringToSign = `${SIGNATURE_ALGORITHM}\n${timestamp}${scopeLines}${sha256Hex(canonicalRequest)}`
        const signature = signingKeyFor(secretKey, date).sign(stringToSign)
        const body = `${bodyStart}${JSON.stringify(requestData)}${bodyEnd}`
        const list = headerList.slice()
        list[clientTimestampAt] = clientTimestamp
        list[authorizationAt] = `${authorizationHead}${signature}`
        list[timestampAt] = String(timestamp)
        list[list.length - 1] = String(Buffer.byteLength(body))
        return { url: `${url}${seqId}`, headerList: list, body }
      },
    },
  }
}

/**
 * `pieces` joined by `separator`, split after the one equal to `marker`: the text before the variable value
 * (ending with the marker) and after it (starting with the separator when anything follows). Throws when the
 * marker is missing, which would be a bug in the template.
 */
function around(pieces: readonly string[], marker: string, separator: string): [string, string] {
  const at = pieces.indexOf(marker)
  if (at < 0) throw new Error(`invoke request template: no ${marker}`)
  const after = pieces.slice(at + 1)
  return [pieces.slice(0, at + 1).join(separator), after.length === 0 ? '' : `${separator}${after.join(separator)}`]
}

/** A check that an input asks for the same template: every input but the seqId, the clock and the request data. */
function fitsFor(made: InvokeRequestInput): (input: InvokeRequestInput) => boolean {
  const { functionName, env, credentials, context, runtimeTag, region, runtimeRegion, internal, serviceUrl, sdkVersion, headers } = made
  const contextValues = contextValuesOf(context)
  const headerEntries = Object.entries(headers)
  return (input) =>
    input.functionName === functionName &&
    input.env === env &&
    input.serviceUrl === serviceUrl &&
    input.runtimeTag === runtimeTag &&
    input.region === region &&
    input.runtimeRegion === runtimeRegion &&
    input.internal === internal &&
    input.sdkVersion === sdkVersion &&
    sameCredentials(input.credentials, credentials) &&
    (input.context === context || sameValues(contextValuesOf(input.context), contextValues)) &&
    sameHeaders(input.headers, headerEntries)
}

// The context variables buildInvokeRequest reads (TCB_SEQID shapes only the seqId, an input of its own).
const CONTEXT_VARIABLES = [
  'TRIGGER_SRC',
  'WX_TRIGGER_API_TOKEN_V0',
  'WX_API_TOKEN',
  'WX_CLOUDBASE_ACCESSTOKEN',
  'TCB_SESSIONTOKEN',
  'TCB_ROUTE_KEY',
  'TCB_SOURCE',
  'TCB_TRACELOG',
] as const

function contextValuesOf(context: Readonly<Record<string, string>>): Array<string | undefined> {
  return CONTEXT_VARIABLES.map((name) => context[name])
}

function sameValues(left: ReadonlyArray<string | undefined>, right: ReadonlyArray<string | undefined>): boolean {
  return left.every((value, index) => value === right[index])
}

function sameCredentials(left: CloudBaseCredentials, right: CloudBaseCredentials): boolean {
  if (left.kind === 'api-key' || right.kind === 'api-key') {
    return left.kind === right.kind && (left as { accessKey: string }).accessKey === (right as { accessKey: string }).accessKey
  }
  return left.secretId === right.secretId && left.secretKey === right.secretKey && left.sessionToken === right.sessionToken
}

function sameHeaders(headers: Readonly<Record<string, string>>, entries: ReadonlyArray<readonly [string, string]>): boolean {
  let index = 0
  for (const name of Object.keys(headers)) {
    const entry = entries[index++]
    if (entry === undefined || entry[0] !== name || entry[1] !== headers[name]) return false
  }
  return index === entries.length
}
