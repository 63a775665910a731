/** The process environment, or any stand-in for it (tests inject one). */
export type Environment = Readonly<Record<string, string | undefined>>

// The variables that shape a request (body, headers, seqId, endpoint). Each `process.env` read is a call into
// C++, and they are read on every request, so no other variable is read.
const REQUEST_VARIABLES = [
  'TRIGGER_SRC', 'WX_TRIGGER_API_TOKEN_V0', 'WX_API_TOKEN', 'WX_CLOUDBASE_ACCESSTOKEN', 'TCB_SESSIONTOKEN', 'TCB_ROUTE_KEY',
  'TCB_SOURCE', 'TCB_TRACELOG', 'TCB_SEQID', 'TCB_CONTEXT_CNFG',
] as const

// Seen without being listed, as @cloudbase/node-sdk's getCloudbaseContext reads them; any other variable must be
// listed in TCB_CONTEXT_KEYS or WX_CONTEXT_KEYS to be seen, which keeps a function's unrelated variables out of requests.
const ALWAYS_VISIBLE: ReadonlySet<string> = new Set(['TRIGGER_SRC', 'WX_TRIGGER_API_TOKEN_V0', 'TCB_CONTEXT_CNFG'])

/** The context variables the official SDK would see in `environment`, of those that shape a request. */
export function readCloudContext(environment: Environment): Record<string, string> {
  const context: Record<string, string> = {}
  const listed = `,${environment.TCB_CONTEXT_KEYS ?? ''},${environment.WX_CONTEXT_KEYS ?? ''},`
  for (const name of REQUEST_VARIABLES) {
    if (!ALWAYS_VISIBLE.has(name) && !listed.includes(`,${name},`)) continue
    const value = environment[name]
    if (value !== undefined) context[name] = value
  }
  return context
}

export type RuntimeTag = 'scf' | 'cbr' | 'sumeru' | 'tencentcloud' | 'unknown'

/** Where the code runs, by the variables each platform sets: `scf`, `cbr`, `sumeru`, `tencentcloud` or `unknown`. */
export function runtimeTagOf(environment: Environment): RuntimeTag {
  if (environment.TENCENTCLOUD_RUNENV === 'SCF') return 'scf'
  if (environment.CBR_ENV_ID) return 'cbr'
  const sumeru = environment.SUMERU_ENV
  if (sumeru === 'formal' || sumeru === 'pre' || sumeru === 'test') return 'sumeru'
  if (environment.TENCENTCLOUD === 'true') return 'tencentcloud'
  return 'unknown'
}

/** Inside Tencent Cloud the SDK talks to the internal endpoint over plain HTTP. */
export function isInternalRuntime(tag: RuntimeTag): boolean {
  return tag === 'scf' || tag === 'cbr' || tag === 'sumeru'
}

/** The platform the process runs on: its runtime tag, whether it is inside Tencent Cloud, and its region. */
export interface Platform {
  readonly runtimeTag: RuntimeTag
  readonly internal: boolean
  /** `TENCENTCLOUD_REGION`, or `''`. */
  readonly region: string
}

/** Reads the platform variables, which a platform sets when it starts the process and never changes under it. */
export function readPlatform(environment: Environment): Platform {
  const runtimeTag = runtimeTagOf(environment)
  return { runtimeTag, internal: isInternalRuntime(runtimeTag), region: environment.TENCENTCLOUD_REGION ?? '' }
}

/** `TCB_CONTEXT_CNFG`'s `URL`, the endpoint a platform injects; empty when absent or not JSON. */
export function injectedServiceUrl(context: Record<string, string>): string {
  const config = context.TCB_CONTEXT_CNFG
  if (!config) return ''
  try {
    const parsed = JSON.parse(config) as { URL?: unknown } | null
    return typeof parsed?.URL === 'string' ? parsed.URL : ''
  } catch {
    return ''
  }
}
