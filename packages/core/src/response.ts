import { codeForModuleAnswer, RESERVED_MODULE_CODES } from './error-codes'
import { PageModuleError } from './page-module-error'

/** What a module's cloud function returns for every call. `code === 0` means success. */
export interface ModuleResponse<Data = unknown> {
  readonly code: number
  readonly msg?: string
  readonly data?: Data
  readonly requestId: string
}

/** True when `value` has the response shape: an integer `code`, a string `requestId`, an optional string `msg`. */
export function isModuleResponse(value: unknown): value is ModuleResponse {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    typeof record.code === 'number' &&
    Math.floor(record.code) === record.code &&
    typeof record.requestId === 'string' &&
    (record.msg === undefined || typeof record.msg === 'string')
  )
}

export interface SettleContext {
  readonly module: string
  readonly method: string
  readonly functionName: string
  readonly requestId: string
  readonly cloudRequestId?: string | undefined
}

/** Resolves a module's answer to its `data`, or throws the `PageModuleError` it stands for. */
export function settleResponse(body: unknown, context: SettleContext): unknown {
  if (isModuleResponse(body) && body.code === 0) return body.data
  const where = { module: context.module, method: context.method, requestId: context.requestId, cloudRequestId: context.cloudRequestId }
  if (!isModuleResponse(body)) {
    throw new PageModuleError({
      ...where,
      code: 'BAD_RESPONSE',
      message:
        `the cloud function '${context.functionName}' answered ${describe(body)}, ` +
        'not a PageModule response { code, msg?, data?, requestId } — ' +
        "check that it is the module's function (defineModule) or set functionName",
    })
  }
  throw new PageModuleError({
    ...where,
    code: codeForModuleAnswer(body.code),
    moduleCode: body.code,
    retryable: body.code === RESERVED_MODULE_CODES.REQUEST_IN_PROGRESS,
    requestSent: true,
    message: `the module answered code ${body.code}${body.msg ? `: ${body.msg}` : ''}`,
  })
}

function describe(body: unknown): string {
  if (body === undefined) return 'nothing'
  if (body === null) return 'null'
  if (Array.isArray(body)) return 'an array'
  if (typeof body !== 'object') return `a ${typeof body}`
  const keys = Object.keys(body).slice(0, 5)
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`
}
