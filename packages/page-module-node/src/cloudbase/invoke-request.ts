import type { CloudBaseCredentials } from './credentials'
import { cloudBaseUrl } from './endpoint'
import { splitUrl, signCloudBaseRequest, type CloudBaseSignature } from './sign-request'

export interface InvokeRequestInput {
  readonly functionName: string
  /** `JSON.stringify` of the event; `''` for none. */
  readonly requestData: string
  readonly env: string
  readonly credentials: CloudBaseCredentials
  /** The context variables the official SDK would see (see `readCloudContext`). */
  readonly context: Readonly<Record<string, string>>
  readonly runtimeTag: string
  readonly region: string
  readonly runtimeRegion: string
  readonly internal: boolean
  readonly serviceUrl: string
  readonly seqId: string
  /** Milliseconds since the epoch; the signature uses the second before it, as the official SDK does. */
  readonly now: number
  /** `User-Agent` and `X-SDK-Version`. */
  readonly sdkVersion: string
  /** Extra headers; they are signed, and cannot replace the protocol's own. */
  readonly headers: Readonly<Record<string, string>>
}

export interface InvokeRequest {
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
  /** Absent in API-key mode. */
  readonly signature: CloudBaseSignature | undefined
}

/**
 * The `functions.invokeFunction` request @cloudbase/node-sdk's callFunction sends for the same inputs: URL, signed
 * headers in the same order, body fields in the same order, then the unsigned `X-Signature-Expires`/`X-Timestamp`.
 */
export function buildInvokeRequest(input: InvokeRequestInput): InvokeRequest {
  const { url, params, headers } = unsignedInvokeRequest(input)
  const timestamp = signatureTimestampOf(input.now)
  const signature =
    input.credentials.kind === 'signature'
      ? signCloudBaseRequest({
          secretId: input.credentials.secretId,
          secretKey: input.credentials.secretKey,
          method: 'post',
          url,
          headers,
          params,
          timestamp,
        })
      : undefined
  headers.Authorization =
    signature === undefined ? `Bearer ${(input.credentials as { accessKey: string }).accessKey}` : signature.authorization
  headers['X-Signature-Expires'] = '600'
  headers['X-Timestamp'] = String(timestamp)
  return { url, headers, body: JSON.stringify(params), signature }
}

/** The signature's timestamp: the second before `now`, as the official SDK signs. */
export function signatureTimestampOf(now: number): number {
  return Math.floor(now / 1000) - 1
}

/** The request before its signature: URL, body fields and the signed headers, in the official SDK's orders. */
export function unsignedInvokeRequest(input: InvokeRequestInput): {
  url: string
  params: Record<string, string | undefined>
  headers: Record<string, string>
} {
  const { context } = input
  const url = cloudBaseUrl({
    env: input.env,
    region: input.region,
    runtimeRegion: input.runtimeRegion,
    internal: input.internal,
    serviceUrl: input.serviceUrl,
    seqId: input.seqId,
  })
  const apiToken = (context.TRIGGER_SRC === 'timer' ? context.WX_TRIGGER_API_TOKEN_V0 || context.WX_API_TOKEN : context.WX_API_TOKEN) || ''
  const params: Record<string, string | undefined> = {
    action: 'functions.invokeFunction',
    function_name: input.functionName,
    request_data: input.requestData,
    envName: input.env,
    wxCloudApiToken: apiToken,
    wxCloudbaseAccesstoken: apiToken === '' ? context.WX_CLOUDBASE_ACCESSTOKEN || '' : undefined,
    tcb_sessionToken: context.TCB_SESSIONTOKEN || '',
    sessionToken: input.credentials.kind === 'signature' ? input.credentials.sessionToken : undefined,
    crossAuthorizationToken: '',
  }

  // User headers first, then the protocol's in the official SDK's order; absent optional ones are left out.
  const headers = userHeadersBesides(input.headers)
  headers['content-type'] = 'application/json'
  if (context.TCB_ROUTE_KEY) headers['X-TCB-Route-Key'] = context.TCB_ROUTE_KEY
  headers['User-Agent'] = input.sdkVersion
  headers['X-TCB-Source'] = `${context.TCB_SOURCE || ''},${input.runtimeTag}`
  headers['X-Client-Timestamp'] = String(input.now)
  headers['X-SDK-Version'] = input.sdkVersion
  headers.Host = splitUrl(url).host
  if (context.TCB_TRACELOG) headers['X-TCB-Tracelog'] = context.TCB_TRACELOG
  if (input.region) headers['X-TCB-Region'] = input.region
  return { url, params, headers }
}

/** `Date.now().toString(16)_counter`, prefixed with the caller's `TCB_SEQID` so traces join up. */
export function createSeqIdSource(): (now: number, context: Readonly<Record<string, string>>) => string {
  let counter = 0
  return (now, context) => {
    counter += 1
    const id = `${now.toString(16)}_${counter.toString(16)}`
    return context.TCB_SEQID ? `${context.TCB_SEQID}-${id}` : id
  }
}

const RESERVED_HEADERS = new Set([
  'content-type',
  'x-tcb-route-key',
  'user-agent',
  'x-tcb-source',
  'x-client-timestamp',
  'x-sdk-version',
  'host',
  'x-tcb-tracelog',
  'x-tcb-region',
  'authorization',
  'x-signature-expires',
  'x-timestamp',
  'content-length',
  'connection',
])

function userHeadersBesides(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined && !RESERVED_HEADERS.has(name.toLowerCase())) result[name] = value
  }
  return result
}
