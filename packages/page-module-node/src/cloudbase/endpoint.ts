const ENV_IN_HOST = /^[a-z0-9_-]{1,40}$/

export interface EndpointInput {
  readonly env: string
  /** `region` option or `TENCENTCLOUD_REGION`. */
  readonly region: string
  /** The region the code runs in (`TENCENTCLOUD_REGION`); the internal host serves only that one. */
  readonly runtimeRegion: string
  readonly internal: boolean
  /** `serviceUrl` option, else `TCB_CONTEXT_CNFG.URL`; replaces scheme, host and path. */
  readonly serviceUrl: string
  readonly seqId: string
}

/** The `/admin` URL with its query, built as @cloudbase/node-sdk's buildUrl does (the query is not encoded). */
export function cloudBaseUrl(input: EndpointInput): string {
  const query = `env=${input.env}&seqId=${input.seqId}`
  const base = input.serviceUrl || defaultBaseUrl(input)
  return base.includes('?') ? `${base}${query}` : `${base}?${query}`
}

function defaultBaseUrl(input: EndpointInput): string {
  const sameRegion = input.region === '' || input.region === input.runtimeRegion
  const regionPart = input.region === '' ? '' : `${input.region}.`
  const host = `${input.internal && sameRegion ? 'internal.' : ''}${regionPart}tcb-api.tencentcloudapi.com`
  // An env id with other characters cannot be a DNS label; the bare host then routes by the query.
  const envHost = ENV_IN_HOST.test(input.env) ? `${input.env}.${host}` : host
  return `${input.internal ? 'http' : 'https'}://${envHost}/admin`
}
