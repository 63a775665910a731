import { describe, expect, it } from 'vitest'
import type { Middleware } from './middleware'
import { PageModule } from './page-module'
import { PageModuleError, isPageModuleError } from './page-module-error'
import { createFakeTransport, moduleAnswer } from './testing'
import type { Transport, TransportRequest } from './transport'

const noDelay = { retryDelay: () => 0 }

async function rejectionOf(promise: Promise<unknown>): Promise<PageModuleError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )
  if (!isPageModuleError(error)) throw error
  return error
}

describe('PageModule.callMethod', () => {
  it('sends a versioned envelope to the derived function and resolves with the data of code 0', async () => {
    const transport = createFakeTransport({ doSignIn: (data) => ({ got: data }) })
    const signUp = new PageModule('tcb:SignUp', { transport, now: () => 1_700_000_000_000 })
    await expect(signUp.callMethod('doSignIn', { a: 1, b: 2 })).resolves.toEqual({ got: { a: 1, b: 2 } })
    const [sent] = transport.calls
    expect(sent?.functionName).toBe('tcb-SignUp')
    expect(sent?.envelope).toEqual({
      protocol: 'page-module/1',
      module: 'tcb:SignUp',
      method: 'doSignIn',
      requestId: expect.stringMatching(/^[0-9a-z]+-[0-9a-z]{12}$/),
      client: { name: '@page-module/core', version: '0.0.0-dev' },
      timestamp: 1_700_000_000_000,
      data: { a: 1, b: 2 },
    })
  })

  it('uses functionName when given', async () => {
    const transport = createFakeTransport({ ping: () => 'pong' })
    await new PageModule('tcb:SignUp', { transport, functionName: 'sign-up-v2' }).callMethod('ping')
    expect(transport.calls[0]?.functionName).toBe('sign-up-v2')
    expect(transport.calls[0]?.envelope).not.toHaveProperty('data')
  })

  it.each([
    [-1, 'NOT_IMPLEMENTED'],
    [-2, 'IMPLEMENTATION_FAILED'],
    [-4, 'METHOD_NOT_FOUND'],
    [2001, 'MODULE_ERROR'],
  ])('rejects an answer of code %i with %s and the numeric code', async (moduleCode, code) => {
    const transport = createFakeTransport({ doSignIn: () => Promise.reject(moduleAnswer(moduleCode, 'no')) })
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn'))
    expect(error).toMatchObject({ code, moduleCode, module: 'tcb:SignUp', method: 'doSignIn' })
    expect(error.message).toMatch(new RegExp(`^\\[tcb:SignUp\\.doSignIn\\] \\S+: the module answered code ${moduleCode}: no$`))
    expect(error.requestId).toBe(transport.calls[0]?.envelope.requestId)
  })

  it.each([
    ['null', null],
    ['a string', 'ok'],
    ['an object without requestId', { code: 0, data: 1 }],
    ['a non-integer code', { code: 0.5, requestId: 'x' }],
  ])('rejects %s from the function with BAD_RESPONSE', async (_case, body) => {
    const transport = createFakeTransport().replyNext(body)
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn'))
    expect(error.code).toBe('BAD_RESPONSE')
    expect(error.message).toContain("the cloud function 'tcb-SignUp' answered")
  })

  describe('bad input is refused before anything is sent', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    it.each([
      ['a method that is not an identifier', 'do-sign-in', undefined, 'INVALID_METHOD'],
      ['an inherited method name', 'constructor', undefined, 'INVALID_METHOD'],
      ['cyclic data', 'doSignIn', cyclic, 'DATA_CYCLIC'],
      ['a function', 'doSignIn', { f() {} }, 'DATA_FUNCTION'],
      ['a symbol', 'doSignIn', { s: Symbol('s') }, 'DATA_SYMBOL'],
      ['a BigInt', 'doSignIn', { n: 1n }, 'DATA_BIGINT'],
      ['a non-plain object', 'doSignIn', { d: new Date() }, 'DATA_NOT_PLAIN'],
      ['a __proto__ key', 'doSignIn', JSON.parse('{"__proto__":{}}'), 'DATA_FORBIDDEN_KEY'],
      ['a constructor key', 'doSignIn', { constructor: 1 }, 'DATA_FORBIDDEN_KEY'],
      ['data over the size limit', 'doSignIn', { text: 'x'.repeat(200) }, 'DATA_TOO_LARGE'],
    ])('%s', async (_case, method, data, code) => {
      const transport = createFakeTransport({ doSignIn: () => 1 })
      const seen: string[] = []
      const spy: Middleware = { name: 'spy', phase: 'call', handle: (request, next) => (seen.push(request.method), next(request)) }
      const signUp = new PageModule('tcb:SignUp', { transport, maxPayloadBytes: 100, middleware: [spy] })
      const error = await rejectionOf(signUp.callMethod(method, data))
      expect(error.code).toBe(code)
      expect(transport.calls).toHaveLength(0)
      expect(seen).toEqual([])
    })

    it.each([
      ['a timeout of 0', { timeout: 0 }],
      ['a negative timeout', { timeout: -5 }],
      ['fractional retries', { retries: 1.5 }],
      ['too many retries', { retries: 11 }],
      ['an idempotency key with spaces', { idempotencyKey: 'a b' }],
      ['an empty idempotency key', { idempotencyKey: '' }],
    ])('per-call option: %s', async (_case, options) => {
      const transport = createFakeTransport({ doSignIn: () => 1 })
      const error = await rejectionOf(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn', {}, options))
      expect(error.code).toBe('INVALID_OPTIONS')
      expect(transport.calls).toHaveLength(0)
    })

    it('a middleware that makes the data unsafe is caught before the transport', async () => {
      const transport = createFakeTransport({ doSignIn: () => 1 })
      const breaker: Middleware = {
        name: 'breaker',
        phase: 'call',
        handle: (request, next) => next({ ...request, data: { when: new Date() } }),
      }
      const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, middleware: [breaker] }).callMethod('doSignIn', {}))
      expect(error.code).toBe('DATA_NOT_PLAIN')
      expect(transport.calls).toHaveLength(0)
    })
  })

  describe('construction', () => {
    const transport = createFakeTransport()
    it.each([
      ['a bad id', () => new PageModule('SignUp', { transport }), 'INVALID_MODULE_ID'],
      ['no transport', () => new PageModule('tcb:SignUp', {} as never), 'INVALID_OPTIONS'],
      ['a bad functionName', () => new PageModule('tcb:SignUp', { transport, functionName: '9lives' }), 'INVALID_OPTIONS'],
      ['a timeout over 10 minutes', () => new PageModule('tcb:SignUp', { transport, timeout: 600_001 }), 'INVALID_OPTIONS'],
      [
        'a payload limit over 6 MiB',
        () => new PageModule('tcb:SignUp', { transport, maxPayloadBytes: 7 * 1024 * 1024 }),
        'INVALID_OPTIONS',
      ],
      [
        'a malformed middleware',
        () => new PageModule('tcb:SignUp', { transport, middleware: [{ name: 'x' } as never] }),
        'INVALID_OPTIONS',
      ],
    ])('refuses %s', (_case, construct, code) => {
      expect(construct).toThrowError(expect.objectContaining({ code }))
    })
  })
})

describe('retries', () => {
  it('retries a failure that happened before the request left', async () => {
    const transport = createFakeTransport({ doSignIn: () => 'ok' }).failNext({ code: 'NETWORK', requestSent: false })
    await expect(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('doSignIn')).resolves.toBe('ok')
    expect(transport.calls.map((call) => call.attempt)).toEqual([1, 2])
    expect(new Set(transport.calls.map((call) => call.envelope.requestId)).size).toBe(1)
  })

  it('does not retry a failure after sending when there is no idempotency key', async () => {
    const transport = createFakeTransport({ doSignIn: () => 'ok' }).failNext({ code: 'NETWORK', requestSent: true })
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('doSignIn'))
    expect(error.code).toBe('NETWORK')
    expect(transport.calls).toHaveLength(1)
  })

  it('does not retry when whether it was sent is unknown', async () => {
    const transport = createFakeTransport({ doSignIn: () => 'ok' }).failNext({ code: 'NETWORK', requestSent: undefined })
    await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('doSignIn'))
    expect(transport.calls).toHaveLength(1)
  })

  it('retries a failure after sending when the call has an idempotency key, and the host runs it once', async () => {
    const transport = createFakeTransport({ doSignIn: () => 'ok' })
    // First attempt runs on the host, then its answer is lost on the way back.
    const losing: Middleware = {
      name: 'lose-first-answer',
      phase: 'attempt',
      handle: async (request, next) => {
        const response = await next(request)
        if (request.attempt === 1) throw new PageModuleError({ code: 'NETWORK', message: 'reset', retryable: true, requestSent: true })
        return response
      },
    }
    const signUp = new PageModule('tcb:SignUp', { transport, middleware: [losing], ...noDelay })
    await expect(signUp.callMethod('doSignIn', {}, { idempotencyKey: 'sign-in-u1-2026-11-21' })).resolves.toBe('ok')
    expect(transport.calls).toHaveLength(2)
    expect(transport.executions.doSignIn).toBe(1)
    expect(transport.calls[1]?.envelope.idempotencyKey).toBe('sign-in-u1-2026-11-21')
  })

  it('makes an idempotency key when asked with `true`', async () => {
    const transport = createFakeTransport({ doSignIn: () => 'ok' })
    await new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn', undefined, { idempotencyKey: true })
    expect(transport.calls[0]?.envelope.idempotencyKey).toMatch(/^auto-/)
  })

  it('never retries a non-retryable error, and stops after `retries`', async () => {
    const failing = createFakeTransport({ doSignIn: () => 'ok' }).failNext({ code: 'AUTH_FAILED', retryable: false })
    await rejectionOf(new PageModule('tcb:SignUp', { transport: failing, ...noDelay }).callMethod('doSignIn'))
    expect(failing.calls).toHaveLength(1)

    const flaky = createFakeTransport({ doSignIn: () => 'ok' })
    for (let count = 0; count < 5; count++) flaky.failNext({ code: 'NETWORK', requestSent: false })
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport: flaky, retries: 3, ...noDelay }).callMethod('doSignIn'))
    expect(error.code).toBe('NETWORK')
    expect(flaky.calls).toHaveLength(4)
  })

  it('honours retries: 0 per call', async () => {
    const transport = createFakeTransport({ doSignIn: () => 'ok' }).failNext({ code: 'NETWORK', requestSent: false })
    await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('doSignIn', undefined, { retries: 0 }))
    expect(transport.calls).toHaveLength(1)
  })

  it('wraps a foreign error from a transport without retrying it', async () => {
    const transport: Transport = { name: 'broken', send: () => Promise.reject(new TypeError('boom')) }
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('doSignIn'))
    expect(error).toMatchObject({ code: 'TRANSPORT_FAILED', retryable: false })
    expect(error.cause).toBeInstanceOf(TypeError)
  })
})

describe('timeouts and aborts', () => {
  function hangingTransport(): Transport & { seen: TransportRequest[] } {
    const seen: TransportRequest[] = []
    return { name: 'hanging', seen, send: (request) => (seen.push(request), new Promise(() => undefined)) }
  }

  it('rejects with TIMEOUT after `timeout` and aborts the transport signal', async () => {
    const transport = hangingTransport()
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn', {}, { timeout: 20 }))
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toContain('no answer within 20 ms')
    expect(transport.seen[0]?.signal.aborted).toBe(true)
  })

  it('rejects with ABORTED when the caller aborts, and does not retry', async () => {
    const transport = hangingTransport()
    const controller = new AbortController()
    const pending = new PageModule('tcb:SignUp', { transport }).callMethod(
      'doSignIn',
      {},
      { signal: controller.signal, idempotencyKey: true },
    )
    controller.abort()
    const error = await rejectionOf(pending)
    expect(error).toMatchObject({ code: 'ABORTED', module: 'tcb:SignUp', method: 'doSignIn' })
    expect(transport.seen).toHaveLength(1)
  })

  it('an already-aborted signal sends nothing', async () => {
    const transport = hangingTransport()
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn', {}, { signal: AbortSignal.abort() }))
    expect(error.code).toBe('ABORTED')
    expect(transport.seen).toHaveLength(0)
  })
})

describe('middleware', () => {
  it('runs call middleware once around retries and attempt middleware per attempt, in order', async () => {
    const log: string[] = []
    const trace = (name: string, phase: 'call' | 'attempt'): Middleware =>
      phase === 'call'
        ? { name, phase, handle: async (request, next) => (log.push(`${name}>`), await next(request).finally(() => log.push(`<${name}`))) }
        : { name, phase, handle: async (request, next) => (log.push(`${name}#${request.attempt}`), next(request)) }
    const transport = createFakeTransport({ doSignIn: () => 'ok' }).failNext({ code: 'NETWORK', requestSent: false })
    const signUp = new PageModule('tcb:SignUp', {
      transport,
      middleware: [trace('outer', 'call'), trace('sign', 'attempt'), trace('inner', 'call')],
      ...noDelay,
    })
    await signUp.callMethod('doSignIn')
    expect(log).toEqual(['outer>', 'inner>', 'sign#1', 'sign#2', '<inner', '<outer'])
    expect(signUp.middleware).toEqual({ call: ['outer', 'inner'], attempt: ['sign'] })
  })

  it('refuses a duplicate name and ejects by name', () => {
    const signUp = new PageModule('tcb:SignUp', { transport: createFakeTransport() })
    const middleware: Middleware = { name: 'log', phase: 'call', handle: (request, next) => next(request) }
    signUp.use(middleware)
    expect(() => signUp.use(middleware)).toThrowError(/already in use/)
    expect(signUp.eject('log')).toBe(true)
    expect(signUp.eject('log')).toBe(false)
  })

  it('lets call middleware see the result and the context of the call', async () => {
    const transport = createFakeTransport({ doSignIn: () => ({ streak: 3 }) })
    const seen: unknown[] = []
    const tap: Middleware = {
      name: 'tap',
      phase: 'call',
      handle: async (request, next) => {
        const result = await next(request)
        seen.push(request.context.user, result)
        return result
      },
    }
    await new PageModule('tcb:SignUp', { transport, middleware: [tap] }).callMethod('doSignIn', {}, { context: { user: 'u1' } })
    expect(seen).toEqual(['u1', { streak: 3 }])
  })
})

describe('PageModule.callMethod: the bytes sent are the bytes checked', () => {
  const limit = 1024 * 1024

  it('refuses data a getter makes larger after the check, sending nothing', async () => {
    let reads = 0
    const data = {
      get blob() {
        reads += 1
        return reads === 1 ? 'small' : 'y'.repeat(3 * limit)
      },
    }
    const transport = createFakeTransport({ upload: () => 'ok' })
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('upload', data))
    expect(error.code).toBe('DATA_TOO_LARGE')
    expect(transport.calls).toHaveLength(0)
  })

  it('measures what toJSON and proxies give, and sends exactly that', async () => {
    const parent = Object.create(null) as Record<string, unknown>
    parent.toJSON = () => 'z'.repeat(2 * limit)
    const viaToJson = Object.create(parent) as object
    let reads = 0
    const shifting = new Proxy({} as Record<string, unknown>, {
      ownKeys: () => ['value'],
      getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
      get: () => (++reads > 1 ? 'w'.repeat(2 * limit) : 'tiny'),
    })
    for (const data of [{ file: viaToJson }, { file: shifting }]) {
      const transport = createFakeTransport({ upload: () => 'ok' })
      const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('upload', data))
      expect(error.code).toBe('DATA_TOO_LARGE')
      expect(transport.calls).toHaveLength(0)
    }
    const transport = createFakeTransport({ upload: () => 'ok' })
    reads = 0
    const small = new Proxy({} as Record<string, unknown>, {
      ownKeys: () => ['value'],
      getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
      get: () => `read ${++reads}`,
    })
    await new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('upload', { file: small })
    // The transport got a plain snapshot: serialising it again gives the same bytes, whatever the proxy does.
    const [call] = transport.calls
    expect(JSON.stringify(call?.envelope)).toBe(JSON.stringify(call?.envelope))
    expect(call?.envelope.data).toEqual({ file: { value: expect.stringMatching(/^read \d+$/) } })
  })

  it('refuses a sparse array instead of sending its holes as null', async () => {
    const transport = createFakeTransport({ upload: () => 'ok' })
    // eslint-disable-next-line no-sparse-arrays
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, ...noDelay }).callMethod('upload', { list: [1, , 3] }))
    expect(error).toMatchObject({ code: 'DATA_NOT_PLAIN', details: { path: 'data.list[1]' } })
    expect(transport.calls).toHaveLength(0)
  })
})
