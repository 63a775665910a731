/** The process environment, or any stand-in for it (tests inject one). */
export type Environment = Readonly<Record<string, string | undefined>>

// Read directly, as @cloudbase/node-sdk's getCloudbaseContext does; anything else must be listed in
// TCB_CONTEXT_KEYS or WX_CONTEXT_KEYS to be seen, which keeps a function's unrelated variables out of requests.
const ALWAYS_VISIBLE = [
  'TRIGGER_SRC', '_SCF_TCB_LOG', 'SCF_NAMESPACE', 'TENCENTCLOUD_RUNENV', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY',
  'TENCENTCLOUD_SESSIONTOKEN', 'WX_CONTEXT_KEYS', 'WX_TRIGGER_API_TOKEN_V0', 'WX_CLIENTIP', 'WX_CLIENTIPV6', 'TCB_CONTEXT_KEYS',
  'TCB_CONTEXT_CNFG', 'LOGINTYPE',
] as const

/** The cloud-function context variables the official SDK would see in `environment`. */
export function readCloudContext(environment: Environment): Record<string, string> {
  const context: Record<string, string> = {}
  const listed = `${environment.TCB_CONTEXT_KEYS ?? ''},${environment.WX_CONTEXT_KEYS ?? ''}`.split(',')
  for (const name of [...ALWAYS_VISIBLE, ...listed]) {
    if (name === '') continue
    const value = environment[name]
    if (value !== undefined) context[name] = value
  }
  return context
}

/** Where the code runs, by the variables each platform sets: `scf`, `cbr`, `sumeru`, `tencentcloud` or `unknown`. */
export function runtimeTagOf(environment: Environment): 'scf' | 'cbr' | 'sumeru' | 'tencentcloud' | 'unknown' {
  if (environment.TENCENTCLOUD_RUNENV === 'SCF') return 'scf'
  if (environment.CBR_ENV_ID) return 'cbr'
  if (environment.SUMERU_ENV === 'formal' || environment.SUMERU_ENV === 'pre' || environment.SUMERU_ENV === 'test') return 'sumeru'
  if (environment.TENCENTCLOUD === 'true') return 'tencentcloud'
  return 'unknown'
}

/** Inside Tencent Cloud the SDK talks to the internal endpoint over plain HTTP. */
export function isInternalRuntime(environment: Environment): boolean {
  const tag = runtimeTagOf(environment)
  return tag === 'scf' || tag === 'cbr' || tag === 'sumeru'
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
