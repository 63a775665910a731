import {
  assertJsonSafe,
  isPageModuleError,
  MAX_PAYLOAD_BYTES_LIMIT,
  PageModuleError,
  parseEnvelope,
  parseModuleId,
  RESERVED_MODULE_CODES,
  type CallEnvelope,
  type ClientInfo,
  type ModuleResponse,
} from '@page-module/core'
import {
  customApiFunctionNameOf,
  implementationFailedMessage,
  isCustomApiName,
  isCustomApiResult,
  publicMessageOf,
  type CustomApiEvent,
  type CustomApiResult,
} from '../custom-api/custom-api-contract'
import { callerOf, readWxContext, type Caller, type Environment, type WxContext } from './caller-identity'
import { type IdempotencyStore } from '../idempotency/memory-idempotency-store'
import { defaultIdempotencyStore } from '../idempotency/default-idempotency-store'
import { createWxServerSdkInvoker, type InvokeFunction } from './invoke-function'
import { moduleAnswerOf } from './module-answer'
import type { HostProtection, OpenedCall } from './host-protection'

/** What every method receives next to its data. */
export interface MethodContext {
  readonly module: string
  readonly method: string
  /** The call's id; identical on every retry of the call. */
  readonly requestId: string
  readonly idempotencyKey: string | undefined
  /** The CloudBase environment the function runs in (`TCB_ENV`). */
  readonly env: string | undefined
  /** Who called: a mini-program user (`openid`) or a server with the environment's keys. */
  readonly caller: Caller
  /** The caller's WeChat context, as `wx-server-sdk`'s `getWXContext()` gives it. */
  readonly wxContext: WxContext
  readonly client: ClientInfo
  /** The `context` argument the platform passed to `main`. */
  readonly cloudContext: unknown
  /**
   * Calls the business's custom interface `name` (its `api/<name>.js`). Resolves with its answer; rejects
   * with a `PageModuleError` of `moduleCode` -1 (not implemented) or -2 (it failed), which the host answers
   * to the caller as they are unless the method catches them.
   */
  callCustomApi(name: string, data?: Record<string, unknown>): Promise<CustomApiResult>
}

/** One open method. Annotate `data`: its type becomes the method's input for typed clients. */
export type ModuleMethod = (data: never, context: MethodContext) => unknown

export interface ModuleDefinition<Methods extends Record<string, ModuleMethod>> {
  /** The module id, e.g. `tcb:SignUp`. */
  readonly id: string
  readonly methods: Methods
  /**
   * The business function with the custom interfaces. Default: the environment variable
   * `PAGE_MODULE_CUSTOM_API_FUNCTION`, else `<provider>-<Name>-api` (`tcb-SignUp-api`).
   */
  readonly customApiFunction?: string
  /**
   * Where idempotency keys are remembered. Default: in a cloud function, the cloud database (shared by every
   * instance, through wx-server-sdk); elsewhere this process's memory.
   */
  readonly idempotencyStore?: IdempotencyStore
  /** How long an idempotency key is remembered. Default 24 h. */
  readonly idempotencyTtlMs?: number
  /**
   * How long a key's run is waited for before it counts as dead (its instance crashed or was frozen) and a retry
   * may run it. Default 15 min, a cloud function's longest timeout (900 s).
   */
  readonly idempotencyLeaseMs?: number
  /** Calls another cloud function. Default: `wx-server-sdk`'s `callFunction`. */
  readonly invokeFunction?: InvokeFunction
  /** The function's environment variables, read per call. Default: `process.env`. */
  readonly environment?: () => Environment
  /** Where a method's failure is logged with its stack (the caller only ever gets the message). Default: `console.error`. */
  readonly log?: (line: string) => void
  /**
   * Requires every call's data to be protected and opens it before the method runs, e.g.
   * `smHostProtection({ privateKey: process.env.PAGE_MODULE_SM2_PRIVATE_KEY })` from `@page-module/host/sm`.
   */
  readonly protection?: HostProtection
}

/** The `main` of the module's cloud function, carrying its definition so clients can take its type. */
export interface ModuleFunction<Methods extends Record<string, ModuleMethod>> {
  (event: unknown, context?: unknown): Promise<ModuleResponse>
  readonly id: string
  readonly methods: Methods
}

/**
 * The method map of a module, for typed clients:
 * `new PageModule<MethodsOf<typeof signUp>>('tcb:SignUp', …)` type-checks each `callMethod`.
 */
export type MethodsOf<Module> = Module extends { readonly methods: infer Methods }
  ? {
      [Name in keyof Methods]: Methods[Name] extends (...parameters: infer Parameters) => infer Output
        ? { input: Parameters extends [] ? undefined : Parameters[0]; output: Awaited<Output> }
        : never
    }
  : never

const DAY = 24 * 60 * 60 * 1000
const LONGEST_FUNCTION_RUN_MS = 15 * 60 * 1000

/**
 * Defines a page module and returns the `main` of its cloud function: validates the envelope, dispatches
 * to the method, answers `{ code, msg?, data?, requestId }`, and runs each idempotency key once.
 *
 * @example
 * exports.main = defineModule({ id: 'tcb:SignUp', methods: { async doSignIn(data, context) { … } } })
 */
export function defineModule<Methods extends Record<string, ModuleMethod>>(definition: ModuleDefinition<Methods>): ModuleFunction<Methods> {
  const { id, methods } = definition
  parseModuleId(id)
  if (typeof methods !== 'object' || methods === null)
    throw new PageModuleError({ code: 'INVALID_OPTIONS', module: id, message: 'defineModule: methods must be an object of functions' })
  for (const name of Object.keys(methods)) {
    if (typeof methods[name] !== 'function')
      throw new PageModuleError({ code: 'INVALID_OPTIONS', module: id, message: `defineModule: methods.${name} must be a function` })
  }
  const ttl = definition.idempotencyTtlMs ?? DAY
  const lease = Math.min(definition.idempotencyLeaseMs ?? LONGEST_FUNCTION_RUN_MS, ttl)
  const readEnvironment = definition.environment ?? (() => process.env)
  const store = definition.idempotencyStore ?? defaultIdempotencyStore(readEnvironment())
  const log = definition.log ?? ((line: string) => console.error(line))
  let invokeFunction = definition.invokeFunction
  const protection = definition.protection
  if (protection !== undefined && (typeof protection !== 'object' || protection === null || typeof protection.open !== 'function'))
    throw new PageModuleError({ code: 'INVALID_OPTIONS', module: id, message: 'defineModule: protection must be { name, open(envelope) }' })

  async function main(event: unknown, cloudContext?: unknown): Promise<ModuleResponse> {
    let envelope: CallEnvelope
    try {
      envelope = parseEnvelope(event, MAX_PAYLOAD_BYTES_LIMIT)
    } catch (error) {
      const refusal = error as PageModuleError
      return { code: refusal.moduleCode ?? RESERVED_MODULE_CODES.INVALID_REQUEST, msg: refusal.message, requestId: requestIdOf(event) }
    }
    const { requestId, method } = envelope
    if (envelope.module !== id) {
      return {
        code: RESERVED_MODULE_CODES.INVALID_REQUEST,
        msg: `this function serves ${id}, not ${envelope.module} — check the module's functionName`,
        requestId,
      }
    }
    if (!Object.prototype.hasOwnProperty.call(methods, method)) {
      return {
        code: RESERVED_MODULE_CODES.METHOD_NOT_FOUND,
        msg: `${id} has no open method ${method} — it has ${Object.keys(methods).join(', ')}`,
        requestId,
      }
    }
    let opened: OpenedCall | undefined
    if (protection !== undefined) {
      try {
        opened = protection.open(envelope)
      } catch (error) {
        if (!isPageModuleError(error) || error.moduleCode === undefined) throw error
        log(`[${id}.${method}] ${requestId}: refused by ${protection.name} protection: ${error.message}`)
        return { code: error.moduleCode, msg: error.message, requestId }
      }
      try {
        // What JSON.parse made may still hold keys the envelope check refuses (`__proto__`…): check it as if sent in clear.
        assertJsonSafe(opened.data, MAX_PAYLOAD_BYTES_LIMIT)
      } catch (error) {
        return {
          code: RESERVED_MODULE_CODES.INVALID_REQUEST,
          msg: `the opened data is not acceptable: ${(error as Error).message}`,
          requestId,
        }
      }
      envelope = withData(envelope, opened.data)
    }
    const environment = readEnvironment()
    const wxContext = readWxContext(environment)
    const caller = callerOf(wxContext)
    const context = createMethodContext(envelope, environment, wxContext, caller, cloudContext)
    const key = envelope.idempotencyKey
    const answer = async (): Promise<ModuleResponse> => {
      const response = await run(envelope, context)
      return opened === undefined ? response : opened.seal(response)
    }
    if (key === undefined) return answer()

    // A key belongs to one caller (a user's openid can be any text, so the kinds cannot collide) and one method.
    const partition = JSON.stringify(caller.type === 'wechat-user' ? [id, 'user', caller.openid] : [id, 'server'])
    const storeKey = JSON.stringify([partition, method, key])
    const claim = await store.claim(storeKey, lease, partition)
    if (claim.state === 'done') return { ...claim.response, requestId }
    if (claim.state === 'running') {
      return {
        code: RESERVED_MODULE_CODES.REQUEST_IN_PROGRESS,
        msg: `a call with idempotency key ${key} is still running — retry with the same key`,
        requestId,
      }
    }
    const response = await answer()
    await store.complete(storeKey, response, ttl, partition)
    return response
  }

  async function run(envelope: CallEnvelope, context: MethodContext): Promise<ModuleResponse> {
    const { requestId } = envelope
    const implementation = methods[envelope.method] as (data: unknown, context: MethodContext) => unknown
    try {
      const data = await implementation.call(methods, envelope.data, context)
      if (data === undefined) return { code: 0, requestId }
      try {
        assertJsonSafe(data, MAX_PAYLOAD_BYTES_LIMIT)
      } catch (error) {
        throw new Error(`${envelope.method} returned data that cannot be sent: ${(error as Error).message}`)
      }
      return { code: 0, data, requestId }
    } catch (error) {
      return answerFor(error, envelope)
    }
  }

  function answerFor(error: unknown, envelope: CallEnvelope): ModuleResponse {
    const { requestId } = envelope
    const answer = moduleAnswerOf(error)
    if (answer) return { ...answer, requestId }
    if (isPageModuleError(error) && error.moduleCode !== undefined && error.moduleCode < 0) {
      return { code: error.moduleCode, msg: error.message, requestId }
    }
    log(`[${id}.${envelope.method}] ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return { code: RESERVED_MODULE_CODES.IMPLEMENTATION_FAILED, msg: publicMessageOf(error), requestId }
  }

  function createMethodContext(
    envelope: CallEnvelope,
    environment: Environment,
    wxContext: WxContext,
    caller: Caller,
    cloudContext: unknown,
  ): MethodContext {
    const customApiFunction = definition.customApiFunction ?? environment.PAGE_MODULE_CUSTOM_API_FUNCTION ?? customApiFunctionNameOf(id)
    return {
      module: id,
      method: envelope.method,
      requestId: envelope.requestId,
      idempotencyKey: envelope.idempotencyKey,
      env: typeof wxContext.ENV === 'string' ? wxContext.ENV : environment.TCB_ENV,
      caller,
      wxContext,
      client: envelope.client,
      cloudContext,
      async callCustomApi(name, data = {}) {
        if (!isCustomApiName(name))
          throw new PageModuleError({
            code: 'INVALID_OPTIONS',
            message: `callCustomApi: ${JSON.stringify(name)} is not a custom-interface name — use a plain identifier`,
          })
        const event: CustomApiEvent = { pageModuleCustomApi: 1, module: id, name, data, requestId: envelope.requestId }
        invokeFunction ??= createWxServerSdkInvoker()
        let result: unknown
        try {
          result = await invokeFunction(customApiFunction, event as unknown as Record<string, unknown>)
        } catch (error) {
          throw customApiFailure(`the function ${customApiFunction} could not be called: ${(error as Error).message ?? String(error)}`)
        }
        if (!isCustomApiResult(result))
          throw customApiFailure(
            `${customApiFunction} answered something that is not { code, msg } — is it made with createCustomApiRouter?`,
          )
        if (result.code === RESERVED_MODULE_CODES.NOT_IMPLEMENTED || result.code === RESERVED_MODULE_CODES.IMPLEMENTATION_FAILED) {
          throw new PageModuleError({
            code: result.code === RESERVED_MODULE_CODES.NOT_IMPLEMENTED ? 'NOT_IMPLEMENTED' : 'IMPLEMENTATION_FAILED',
            moduleCode: result.code,
            message: result.msg ?? `custom interface ${name} answered ${result.code}`,
          })
        }
        return result
      },
    }
  }

  return Object.assign(main, { id, methods })
}

function customApiFailure(reason: string): PageModuleError {
  return new PageModuleError({
    code: 'IMPLEMENTATION_FAILED',
    moduleCode: RESERVED_MODULE_CODES.IMPLEMENTATION_FAILED,
    message: implementationFailedMessage(reason),
  })
}

function withData(envelope: CallEnvelope, data: unknown): CallEnvelope {
  const opened: { -readonly [Key in keyof CallEnvelope]: CallEnvelope[Key] } = { ...envelope }
  if (data === undefined) delete opened.data
  else opened.data = data
  return opened
}

function requestIdOf(event: unknown): string {
  const requestId = typeof event === 'object' && event !== null ? (event as Record<string, unknown>).requestId : undefined
  return typeof requestId === 'string' ? requestId : ''
}
