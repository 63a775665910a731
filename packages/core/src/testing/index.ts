import { RESERVED_MODULE_CODES } from '../error-codes'
import type { CallEnvelope } from '../envelope'
import type { MethodInput, MethodMap, MethodMapOf, MethodName, MethodOutput } from '../method-map'
import { PageModuleError, type PageModuleErrorInit } from '../page-module-error'
import type { ModuleResponse } from '../response'
import type { Transport, TransportRequest, TransportResponse } from '../transport'

/** Implements one method in a fake: receives the data as the host would (a JSON copy) and the envelope. */
export type FakeHandler<Input = unknown, Output = unknown> = (data: Input, envelope: CallEnvelope) => Output | Promise<Output>

export type FakeHandlers<Methods> = {
  [Method in MethodName<Methods>]?: FakeHandler<MethodInput<Methods, Method>, MethodOutput<Methods, Method>>
}

const answerMarker = Symbol.for('page-module.fake-answer')

/** Throw from a fake handler to make the module answer `{ code, msg }`. */
export function moduleAnswer(code: number, msg?: string): Error {
  const error = new Error(msg ?? `module answered ${code}`)
  Object.defineProperty(error, answerMarker, { value: { code, msg } })
  return error
}

/** A transport for your own tests: answers like a PageModule host, records every attempt, injects failures. */
export interface FakeTransport<Methods extends MethodMapOf<Methods> = MethodMap> extends Transport {
  /** Every attempt that reached the transport, in order. */
  readonly calls: TransportRequest[]
  /** How many times each method's handler ran (a deduped retry does not run it again). */
  readonly executions: Record<string, number>
  /** Implements (or replaces) a method. */
  on<Method extends MethodName<Methods>>(
    method: Method,
    handler: FakeHandler<MethodInput<Methods, Method>, MethodOutput<Methods, Method>>,
  ): this
  /** The next attempt rejects with this error (`requestSent: false` by default: it never left). */
  failNext(init: Partial<PageModuleErrorInit> & { code: PageModuleErrorInit['code'] }): this
  /** The next attempt resolves with this raw body, as if the function had returned it. */
  replyNext(body: unknown): this
}

/**
 * A fake transport that behaves like a module host: unknown methods answer -4, a throwing handler -2,
 * `moduleAnswer(code)` its code, and calls with the same idempotency key run once.
 *
 * @example
 * const transport = createFakeTransport({ doSignIn: ({ day }) => ({ streak: 1, day }) })
 * const signUp = new PageModule('tcb:SignUp', { transport })
 * await signUp.callMethod('doSignIn', { day: '2026-11-21' }) // → { streak: 1, day: '2026-11-21' }
 */
export function createFakeTransport<Methods extends MethodMapOf<Methods> = MethodMap>(
  handlers: FakeHandlers<Methods> = {},
): FakeTransport<Methods> {
  const routes: Record<string, FakeHandler<never, unknown>> = { ...(handlers as Record<string, FakeHandler<never, unknown>>) }
  const script: Array<() => Promise<TransportResponse>> = []
  const answered = new Map<string, ModuleResponse>()
  const fake: FakeTransport<Methods> = {
    name: 'fake',
    calls: [],
    executions: {},
    on(method, handler) {
      routes[method] = handler as FakeHandler<never, unknown>
      return fake
    },
    failNext(init) {
      script.push(() =>
        Promise.reject(new PageModuleError({ requestSent: false, retryable: true, message: `injected ${init.code}`, ...init })),
      )
      return fake
    },
    replyNext(body) {
      script.push(() => Promise.resolve({ body }))
      return fake
    },
    async send(request) {
      fake.calls.push(request)
      const scripted = script.shift()
      if (scripted) return scripted()
      const envelope = JSON.parse(JSON.stringify(request.envelope)) as CallEnvelope
      const key = envelope.idempotencyKey
      const previous = key === undefined ? undefined : answered.get(key)
      if (previous) return { body: previous, cloudRequestId: 'fake' }
      const body = await run(envelope)
      if (key !== undefined) answered.set(key, body)
      return { body, cloudRequestId: 'fake' }
    },
  }

  async function run(envelope: CallEnvelope): Promise<ModuleResponse> {
    const { method, requestId } = envelope
    const handler = routes[method]
    if (!handler) return { code: RESERVED_MODULE_CODES.METHOD_NOT_FOUND, msg: `no method ${method}`, requestId }
    fake.executions[method] = (fake.executions[method] ?? 0) + 1
    try {
      const data = await handler(envelope.data as never, envelope)
      return data === undefined ? { code: 0, requestId } : { code: 0, data: JSON.parse(JSON.stringify(data)) as unknown, requestId }
    } catch (error) {
      const answer = (error as { [answerMarker]?: { code: number; msg?: string } })[answerMarker]
      if (answer) return answer.msg === undefined ? { code: answer.code, requestId } : { code: answer.code, msg: answer.msg, requestId }
      return { code: RESERVED_MODULE_CODES.IMPLEMENTATION_FAILED, msg: error instanceof Error ? error.message : String(error), requestId }
    }
  }

  return fake
}
