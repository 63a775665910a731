/** The process environment, or any stand-in for it (tests inject one). */
export type Environment = Readonly<Record<string, string | undefined>>

// The variables that shape a request (body, headers, seqId) and are seen only when TCB_CONTEXT_KEYS or
// WX_CONTEXT_KEYS lists them, which keeps a function's unrelated variables out of requests. Each `process.env` read
// is a call into C++, so no other variable is read.
const LISTED_VARIABLES = [
  'WX_API_TOKEN',
  'WX_CLOUDBASE_ACCESSTOKEN',
  'TCB_SESSIONTOKEN',
  'TCB_ROUTE_KEY',
  'TCB_SOURCE',
  'TCB_TRACELOG',
  'TCB_SEQID',
].map((name) => ({ name, needle: `,${name},` }))

/**
 * The context variables the official SDK would see in `environment`, of those that shape a request: `TRIGGER_SRC`
 * and `TCB_CONTEXT_CNFG` always (as @cloudbase/node-sdk's getCloudbaseContext reads them), `WX_TRIGGER_API_TOKEN_V0`
 * for a timer trigger (its one use), the others when listed.
 */
export function readCloudContext(environment: Environment): Record<string, string> {
  const context: Record<string, string> = {}
  const triggerSource = environment.TRIGGER_SRC
  if (triggerSource !== undefined) context.TRIGGER_SRC = triggerSource
  const config = environment.TCB_CONTEXT_CNFG
  if (config !== undefined) context.TCB_CONTEXT_CNFG = config
  if (triggerSource === 'timer') {
    const timerToken = environment.WX_TRIGGER_API_TOKEN_V0
    if (timerToken !== undefined) context.WX_TRIGGER_API_TOKEN_V0 = timerToken
  }
  const tcbKeys = environment.TCB_CONTEXT_KEYS
  const wxKeys = environment.WX_CONTEXT_KEYS
  if (!tcbKeys && !wxKeys) return context
  const listed = `,${tcbKeys ?? ''},${wxKeys ?? ''},`
  for (const { name, needle } of LISTED_VARIABLES) {
    if (!listed.includes(needle)) continue
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

/**
 * Whether `environment`'s cloud context can change under the process: inside a cloud function (or devtools' local
 * run of one) the platform sets it anew for every invocation. Anything that looks like one counts.
 */
export function mayChangePerInvocation(environment: Environment, platform: Platform): boolean {
  return (
    platform.internal ||
    environment.TENCENTCLOUD_RUNENV !== undefined ||
    environment.SCF_NAMESPACE !== undefined ||
    environment.TCB_CONTEXT_KEYS !== undefined ||
    environment.WX_CONTEXT_KEYS !== undefined
  )
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
