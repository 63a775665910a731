import { assertFunctionName, functionNameOf, parseModuleId, PageModuleError, RESERVED_MODULE_CODES } from '@page-module/core'

/** The event a module sends to the business's custom-interface function. Versioned by the tag's value. */
export interface CustomApiEvent<Data = unknown> {
  readonly pageModuleCustomApi: 1
  /** The calling module's id, e.g. `tcb:SignUp`. */
  readonly module: string
  /** The interface, i.e. the file `api/<name>.js`. */
  readonly name: string
  readonly data: Data
  /** The module call's `requestId`, for correlating logs. */
  readonly requestId: string
}

/** What a custom interface answers: `code` 0 for success, `msg`, and any fields of its own. */
export interface CustomApiResult {
  readonly code: number
  readonly msg?: string
  readonly [field: string]: unknown
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/

/** The function that implements a module's custom interfaces: `<provider>-<Name>-api` (`tcb:SignUp` → `tcb-SignUp-api`). */
export function customApiFunctionNameOf(moduleId: string): string {
  const name = `${functionNameOf(parseModuleId(moduleId))}-api`
  try {
    return assertFunctionName(name)
  } catch {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      module: moduleId,
      message: `'${name}' is longer than a CloudBase function name may be — set customApiFunction in defineModule`,
    })
  }
}

/** An interface name is a plain identifier that names no property of Object (so no paths, no `__proto__`). */
export function isCustomApiName(name: unknown): name is string {
  return typeof name === 'string' && IDENTIFIER.test(name) && !(name in Object.prototype) && name !== 'prototype'
}

export function isCustomApiResult(value: unknown): value is CustomApiResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as Record<string, unknown>
  return typeof record.code === 'number' && Number.isInteger(record.code) && (record.msg === undefined || typeof record.msg === 'string')
}

/** The seed's wording for an interface the business has not written yet (answered with code -1). */
export function notImplementedMessage(name: string): string {
  return `自定义接口未实现，请按规范在 api/${name}.js 文件中编写代码实现接口`
}

/**
 * What a caller may see of a failure: the error's message without what Node appends for the server's eyes only
 * (the `Require stack` of file paths of a failed require). The whole error is logged on the server.
 */
export function publicMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split(/\r?\nRequire stack:/)[0]!.trim()
}

/** The seed's wording for an interface that threw or answered nonsense (answered with code -2). */
export function implementationFailedMessage(reason: string): string {
  return `调用接口实现异常：${reason}`
}

export const CUSTOM_API_CODES = {
  NOT_IMPLEMENTED: RESERVED_MODULE_CODES.NOT_IMPLEMENTED,
  IMPLEMENTATION_FAILED: RESERVED_MODULE_CODES.IMPLEMENTATION_FAILED,
  INVALID_REQUEST: RESERVED_MODULE_CODES.INVALID_REQUEST,
  FORBIDDEN_CALLER: RESERVED_MODULE_CODES.FORBIDDEN_CALLER,
} as const

/**
 * Whether the call came from another cloud function. CloudBase passes the call chain in `TCB_SOURCE`
 * (`getWXContext().SOURCE`), comma-separated and extended at each hop: a mini-program's direct call is
 * `wx_client`, the same user's call through the module's function is `wx_client,scf`. Without `TCB_SOURCE`
 * (not running in CloudBase: a test calling `main`) nothing is known and the call is let through.
 */
export function isCallFromCloudFunction(source: string | undefined): boolean {
  if (source === undefined || source === '') return true
  return source.split(',').pop()?.trim() === 'scf'
}

/** Why a direct call is refused (answered with code -7). */
export function forbiddenCallerMessage(source: string): string {
  return (
    `custom interfaces run only for the module's cloud function, not for a call from ${JSON.stringify(source)} — ` +
    'call the module instead'
  )
}

export function isCustomApiEvent(event: unknown): event is CustomApiEvent {
  return typeof event === 'object' && event !== null && (event as Record<string, unknown>).pageModuleCustomApi === 1
}
