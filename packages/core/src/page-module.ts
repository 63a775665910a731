import { abortError, createCancellation, type AbortSignalLike } from './abort-signal'
import { assertIdempotencyKey, createEnvelope, type CallEnvelope, type ClientInfo } from './envelope'
import {
  assertCallOptionShapes,
  assertMiddleware,
  assertModuleOptionShapes,
  assertPayloadLimit,
  assertRetries,
  assertTimeout,
} from './call-options'
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT, defaultRetryDelay } from './call-settings'
import { createCallId } from './ids'
import { assertJsonSafeWithin, DEFAULT_MAX_PAYLOAD_BYTES, snapshotJson } from './json-safety'
import type { CallArguments, CallOptions, MethodMap, MethodMapOf, MethodName, MethodOutput } from './method-map'
import { assertMethodName } from './method-name'
import { composeLayers, type AttemptMiddleware, type CallMiddleware, type CallRequest, type Middleware } from './middleware'
import { assertFunctionName, functionNameOf, parseModuleId, type ModuleId } from './module-id'
import { PageModuleError } from './page-module-error'
import { settleResponse } from './response'
import type { CallProtection, SealedCall } from './protection'
import type { Transport, TransportRequest, TransportResponse } from './transport'
import { VERSION } from './version'

export interface PageModuleOptions {
  /** Delivers envelopes to the cloud: `@page-module/mp` and `@page-module/node` make one for you. */
  readonly transport: Transport
  /** The module's cloud function; default derived from the id (`tcb:SignUp` → `tcb-SignUp`). */
  readonly functionName?: string | undefined
  /** Milliseconds for a whole call, retries included. Default 15000. */
  readonly timeout?: number | undefined
  /** Retries of a call where safe (failure before sending, or an idempotency key). Default 2. */
  readonly retries?: number | undefined
  /** Milliseconds to wait before retry `attempt` (1 = first retry). Default: exponential with jitter. */
  readonly retryDelay?: ((attempt: number) => number) | undefined
  /** Limit for the UTF-8 JSON size of `data`. Default 1 MiB, at most 6 MiB. */
  readonly maxPayloadBytes?: number | undefined
  /** Middleware, outermost first. */
  readonly middleware?: readonly Middleware[] | undefined
  /** Sent in every envelope; adapters set their own name. */
  readonly client?: ClientInfo | undefined
  /** The clock (ms since the epoch); for tests. */
  readonly now?: (() => number) | undefined
  /** Randomness in [0, 1); for tests. */
  readonly random?: (() => number) | undefined
  /** Seals each call's `data` and opens its answer's, e.g. `smProtection({ publicKey })` from `page-module/sm`. */
  readonly protection?: CallProtection | undefined
}

interface Phases {
  readonly call: CallMiddleware[]
  readonly attempt: AttemptMiddleware[]
  readonly sendAttempt: (request: TransportRequest) => Promise<TransportResponse>
}

/**
 * A scene-app page module, called with `callMethod(method, data)`. Give it a map of methods to type each call:
 * `new PageModule<{ doSignIn: { input: { day: string }; output: { streak: number } } }>('tcb:SignUp', options)`.
 */
export class PageModule<Methods extends MethodMapOf<Methods> = MethodMap> {
  /** The module id, e.g. `tcb:SignUp`. */
  readonly id: string
  readonly moduleId: ModuleId
  /** The cloud function that serves this module. */
  readonly functionName: string
  readonly transport: Transport
  private readonly timeout: number
  private readonly retries: number
  private readonly maxPayloadBytes: number
  private readonly client: ClientInfo
  private readonly now: () => number
  private readonly random: () => number
  private readonly retryDelay: (attempt: number) => number
  private readonly protection: CallProtection | undefined
  private readonly stack: Middleware[] = []
  // The stack split by phase, with the attempt phase composed around the transport: made again only when the
  // stack changes, since every call reads it.
  private phases: Phases | undefined = undefined

  constructor(id: string, options: PageModuleOptions) {
    this.moduleId = parseModuleId(id)
    this.id = this.moduleId.id
    if (typeof options !== 'object' || options === null || typeof options.transport?.send !== 'function') {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        module: id,
        message:
          'options.transport must be a Transport ({ name, send(request) }) — ' +
          'use the PageModule of page-module, @page-module/mp or @page-module/node, which make one',
      })
    }
    assertModuleOptionShapes(options as unknown as Record<string, unknown>)
    this.transport = options.transport
    this.functionName = options.functionName === undefined ? functionNameOf(this.moduleId) : assertFunctionName(options.functionName)
    this.timeout = options.timeout === undefined ? DEFAULT_TIMEOUT : assertTimeout(options.timeout, '')
    this.retries = options.retries === undefined ? DEFAULT_RETRIES : assertRetries(options.retries, '')
    this.maxPayloadBytes = options.maxPayloadBytes === undefined ? DEFAULT_MAX_PAYLOAD_BYTES : assertPayloadLimit(options.maxPayloadBytes)
    this.client = options.client ?? { name: '@page-module/core', version: VERSION }
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
    const retryDelay = options.retryDelay
    this.retryDelay = retryDelay ?? ((attempt) => defaultRetryDelay(attempt, this.random))
    this.protection = options.protection
    for (const middleware of options.middleware ?? []) this.use(middleware)
  }

  /** Adds a middleware after the others of its phase. Names are unique. */
  use(middleware: Middleware): this {
    assertMiddleware(middleware)
    if (this.stack.some((existing) => existing.name === middleware.name)) {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        module: this.id,
        message: `a middleware named '${middleware.name}' is already in use — eject it first or pick another name`,
      })
    }
    this.stack.push(middleware)
    this.phases = undefined
    return this
  }

  /** Removes the middleware of that name; returns whether there was one. */
  eject(name: string): boolean {
    const index = this.stack.findIndex((middleware) => middleware.name === name)
    if (index >= 0) this.stack.splice(index, 1)
    this.phases = undefined
    return index >= 0
  }

  /** The names of the middleware in use, in order, by phase. */
  get middleware(): { call: string[]; attempt: string[] } {
    const { call, attempt } = this.phasesOf()
    return { call: call.map((layer) => layer.name), attempt: attempt.map((layer) => layer.name) }
  }

  /**
   * Calls a method of the module. Resolves with the module's `data` when it answers `code: 0`; rejects with a
   * `PageModuleError` otherwise. Bad input is refused before anything is sent.
   */
  async callMethod<Method extends MethodName<Methods>>(
    method: Method,
    ...args: CallArguments<Methods, Method>
  ): Promise<MethodOutput<Methods, Method>> {
    const [data, options = {}] = args as [unknown, CallOptions | undefined]
    assertCallOptionShapes(options)
    const requestId = createCallId(this.now(), this.random)
    const where = { module: this.id, method, requestId }
    assertMethodName(method, this.id)
    const request: CallRequest = {
      module: this.id,
      functionName: this.functionName,
      method,
      data,
      requestId,
      idempotencyKey: this.idempotencyKeyOf(options.idempotencyKey),
      timeout: options.timeout === undefined ? this.timeout : assertTimeout(options.timeout, 'callMethod option '),
      retries: options.retries === undefined ? this.retries : assertRetries(options.retries, 'callMethod option '),
      signal: options.signal,
      // Object.assign, not a spread: the ES2015 build turns spreads into property-descriptor copies.
      context: options.context === undefined ? {} : Object.assign({}, options.context),
    }
    assertJsonSafeWithin(data, this.maxPayloadBytes, where)
    const run = composeLayers<CallRequest, unknown>(this.phasesOf().call, (final) => this.deliver(final, data))
    return (await run(request)) as MethodOutput<Methods, Method>
  }

  /** Releases what the transport holds (sockets, timers). */
  async close(): Promise<void> {
    await this.transport.close?.()
  }

  private async deliver(request: CallRequest, originalData: unknown): Promise<unknown> {
    const where = { module: request.module, method: request.method, requestId: request.requestId }
    if (request.data !== originalData) assertJsonSafeWithin(request.data, this.maxPayloadBytes, where)
    // What is sent is this snapshot: its bytes are the ones checked, whatever getters, proxies or toJSON do later.
    const data = snapshotJson(request.data, this.maxPayloadBytes, where)
    const timestamp = this.now()
    const sealed = this.protection === undefined ? undefined : await this.seal(request, data, timestamp)
    // createEnvelope leaves out an undefined key or data; conditional spreads here would cost more than the call.
    const envelope = createEnvelope({
      module: request.module,
      method: request.method,
      requestId: request.requestId,
      client: this.client,
      timestamp,
      idempotencyKey: request.idempotencyKey,
      data: sealed === undefined ? data : sealed.data,
    } as Omit<CallEnvelope, 'protocol'>)
    const cancellation = createCancellation()
    const started = this.now()
    const timer = setTimeout(() => cancellation.cancel(timeoutError(request)), request.timeout)
    const onCallerAbort = () => cancellation.cancel(PageModuleError.from(abortError(request.signal as AbortSignalLike), where))
    request.signal?.addEventListener('abort', onCallerAbort)
    // A native signal that is already aborted never fires 'abort' again.
    if (request.signal?.aborted) onCallerAbort()
    const attemptOnce = this.phasesOf().sendAttempt
    // Whether an attempt may have reached the wire: until one has, every error of the call has requestSent false.
    let reached = false
    try {
      for (let attempt = 1; ; attempt++) {
        const remaining = Math.max(1, request.timeout - (this.now() - started))
        let attemptStarted = false
        try {
          if (cancellation.signal.aborted) throw abortError(cancellation.signal)
          attemptStarted = true
          const response = await untilAborted(
            attemptOnce({ functionName: request.functionName, envelope, attempt, signal: cancellation.signal, timeout: remaining }),
            cancellation.signal,
          )
          const data = settleResponse(response.body, {
            module: where.module,
            method: where.method,
            requestId: where.requestId,
            functionName: request.functionName,
            cloudRequestId: response.cloudRequestId,
          })
          return sealed === undefined ? data : this.open(sealed, data, where)
        } catch (thrown) {
          const error = this.normalize(thrown, where)
          reached = reached || (attemptStarted && error.requestSent !== false)
          if (!canRetry(error, attempt, request.retries, envelope, cancellation.signal)) throw error
          await sleep(this.retryDelay(attempt), cancellation.signal)
        }
      }
    } catch (thrown) {
      const error = thrown as PageModuleError
      throw reached || error.requestSent !== undefined ? error : PageModuleError.from(error, { requestSent: false })
    } finally {
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onCallerAbort)
    }
  }

  private async seal(request: CallRequest, data: unknown, timestamp: number): Promise<SealedCall> {
    const where = { module: request.module, method: request.method, requestId: request.requestId }
    const protection = this.protection as CallProtection
    try {
      return await protection.seal({
        module: where.module,
        method: where.method,
        requestId: where.requestId,
        timestamp,
        data,
      })
    } catch (thrown) {
      if (PageModuleError.isInstance(thrown)) throw thrown.requestId === undefined ? PageModuleError.from(thrown, where) : thrown
      throw new PageModuleError({
        ...where,
        code: 'PROTECTION_FAILED',
        requestSent: false,
        message: `the ${protection.name} protection could not seal the data (${messageOf(thrown)}) — nothing was sent`,
        cause: thrown,
      })
    }
  }

  private open(sealed: SealedCall, data: unknown, where: { module: string; method: string; requestId: string }): unknown {
    try {
      return sealed.open(data)
    } catch (thrown) {
      if (PageModuleError.isInstance(thrown)) throw thrown
      throw new PageModuleError({
        ...where,
        code: 'PROTECTION_FAILED',
        requestSent: true,
        message: `the ${(this.protection as CallProtection).name} protection could not open the answer (${messageOf(thrown)})`,
        cause: thrown,
      })
    }
  }

  private normalize(thrown: unknown, where: { module: string; method: string; requestId: string }): PageModuleError {
    if (PageModuleError.isInstance(thrown)) return thrown.requestId === undefined ? PageModuleError.from(thrown, where) : thrown
    return PageModuleError.from(thrown, {
      ...where,
      code: 'TRANSPORT_FAILED',
      message:
        `the ${this.transport.name} transport threw ${thrown instanceof Error ? `a ${thrown.name}` : String(typeof thrown)} ` +
        'instead of a PageModuleError — see error.cause',
    })
  }

  private idempotencyKeyOf(option: CallOptions['idempotencyKey']): string | undefined {
    if (option === undefined) return undefined
    if (option === true) return `auto-${createCallId(this.now(), this.random)}`
    return assertIdempotencyKey(option)
  }

  private phasesOf(): Phases {
    if (this.phases === undefined) {
      const attempt = this.stack.filter((middleware): middleware is AttemptMiddleware => middleware.phase === 'attempt')
      this.phases = {
        call: this.stack.filter((middleware): middleware is CallMiddleware => middleware.phase === 'call'),
        attempt,
        sendAttempt: composeLayers<TransportRequest, TransportResponse>(attempt, (request) => this.transport.send(request)),
      }
    }
    return this.phases
  }
}

/** A retry is safe when the request never left, or when the host can dedupe it by its idempotency key. */
function canRetry(error: PageModuleError, attempt: number, retries: number, envelope: CallEnvelope, signal: AbortSignalLike): boolean {
  if (attempt > retries || signal.aborted || !error.retryable) return false
  return error.requestSent === false || envelope.idempotencyKey !== undefined
}

function timeoutError(request: CallRequest): PageModuleError {
  return new PageModuleError({
    module: request.module,
    method: request.method,
    requestId: request.requestId,
    code: 'TIMEOUT',
    retryable: true,
    message:
      `no answer within ${request.timeout} ms — it may have run: retry only with an idempotencyKey; ` +
      "raise `timeout`, or the function's own in its config.json",
  })
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignalLike): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal))
    signal.addEventListener('abort', onAbort)
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/** Waits between retries; an abort (timeout or caller) ends the wait at once. */
function sleep(milliseconds: number, signal: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(signal))
    }
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, milliseconds),
    )
    signal.addEventListener('abort', onAbort)
  })
}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown)
}
