import { createEnvelope, PageModule, PageModuleError, RESERVED_MODULE_CODES, type Transport } from '@page-module/core'
import { describe, expect, it, vi } from 'vitest'
import { defineModule, type MethodContext } from './define-module'
import { moduleAnswer } from './module-answer'
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../idempotency/memory-idempotency-store'

const userEnvironment = {
  WX_CONTEXT_KEYS: 'WX_APPID,WX_OPENID,WX_UNIONID,WX_API_TOKEN',
  WX_OPENID: 'oUser1',
  WX_APPID: 'wxApp1',
  WX_API_TOKEN: 'secret-token',
  TCB_ENV: 'env-1',
}

function envelope(method: string, data?: unknown, extra: { idempotencyKey?: string; requestId?: string } = {}) {
  return createEnvelope({
    module: 'tcb:SignUp',
    method,
    requestId: extra.requestId ?? 'req-1',
    client: { name: 'test', version: '1' },
    timestamp: 1,
    data,
    ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
  })
}

function signUpModule(
  options: {
    environment?: Record<string, string>
    invokeFunction?: (name: string, data: Record<string, unknown>) => Promise<unknown>
    idempotencyStore?: IdempotencyStore
  } = {},
) {
  const runs = { doSignIn: 0 }
  const log = vi.fn()
  const main = defineModule({
    id: 'tcb:SignUp',
    environment: () => options.environment ?? userEnvironment,
    invokeFunction: options.invokeFunction ?? (async () => ({ code: 0, msg: 'suc' })),
    ...(options.idempotencyStore ? { idempotencyStore: options.idempotencyStore } : {}),
    log,
    methods: {
      async doSignIn(data: { day: string }) {
        runs.doSignIn++
        if (data.day === 'twice') throw moduleAnswer(1001, 'already signed in today')
        if (data.day === 'broken') throw new Error('database down')
        return { streak: runs.doSignIn }
      },
      whoAmI(_data: undefined, context: MethodContext) {
        return { caller: context.caller, env: context.env, wxContext: context.wxContext }
      },
      async prize(data: { name: string }, context: MethodContext) {
        return context.callCustomApi(data.name, { openid: 'oUser1' })
      },
      slow: (_data: undefined) => new Promise<{ done: true }>((resolve) => setTimeout(() => resolve({ done: true }), 20)),
      nothing() {},
      notJson: () => ({ when: new Date(0) }),
    },
  })
  return { main, runs, log }
}

describe('defineModule: envelope and dispatch', () => {
  it('answers { code: 0, data, requestId } for a method', async () => {
    const { main } = signUpModule()
    await expect(main(envelope('doSignIn', { day: 'mon' }))).resolves.toEqual({ code: 0, data: { streak: 1 }, requestId: 'req-1' })
    await expect(main(envelope('nothing'))).resolves.toEqual({ code: 0, requestId: 'req-1' })
  })

  it('answers -3 to what is not an envelope, with the reason', async () => {
    const { main, runs } = signUpModule()
    await expect(main({ a: 1 })).resolves.toMatchObject({
      code: -3,
      msg: expect.stringContaining('not a PageModule envelope'),
      requestId: '',
    })
    await expect(main('text')).resolves.toMatchObject({ code: -3 })
    await expect(main({ ...envelope('doSignIn', { day: 'x' }), data: { at: new Date(0) } })).resolves.toMatchObject({
      code: -3,
      msg: expect.stringContaining('Date'),
      requestId: 'req-1',
    })
    await expect(main({ ...envelope('doSignIn', { day: 'x' }), module: 'tcb:Other' })).resolves.toMatchObject({
      code: -3,
      msg: expect.stringContaining('serves tcb:SignUp'),
    })
    await expect(main({ ...envelope('doSignIn', {}), protocol: 'page-module/9' })).resolves.toMatchObject({
      code: RESERVED_MODULE_CODES.UNSUPPORTED_PROTOCOL,
    })
    expect(runs.doSignIn).toBe(0)
  })

  it('answers -4 to an unknown method, and never dispatches to inherited properties', async () => {
    const { main } = signUpModule()
    await expect(main(envelope('doSignUp'))).resolves.toMatchObject({ code: -4, msg: expect.stringContaining('doSignIn') })
    await expect(main(envelope('hasOwnProperty'))).resolves.toMatchObject({ code: -3 })
    const inherited = defineModule({ id: 'tcb:SignUp', methods: Object.create({ secret: () => 'leaked' }) as Record<string, () => string> })
    await expect(inherited(envelope('secret'))).resolves.toMatchObject({ code: -4 })
  })

  it('answers a module answer with its code, and a throw with -2 and the message but no stack', async () => {
    const { main, log } = signUpModule()
    await expect(main(envelope('doSignIn', { day: 'twice' }))).resolves.toEqual({
      code: 1001,
      msg: 'already signed in today',
      requestId: 'req-1',
    })
    const failed = await main(envelope('doSignIn', { day: 'broken' }))
    expect(failed).toEqual({ code: -2, msg: 'database down', requestId: 'req-1' })
    expect(JSON.stringify(failed)).not.toContain('define-module.test')
    expect(log).toHaveBeenCalledWith(expect.stringContaining('define-module.test'))
  })

  it('answers -2 when a method returns data that cannot be sent', async () => {
    const { main } = signUpModule()
    await expect(main(envelope('notJson'))).resolves.toMatchObject({ code: -2, msg: expect.stringContaining('Date') })
  })
})

describe('defineModule: caller identity', () => {
  it('gives a mini-program call the user, as getWXContext derives it', async () => {
    const { main } = signUpModule()
    const { data } = await main(envelope('whoAmI'))
    expect(data).toEqual({
      caller: { type: 'wechat-user', openid: 'oUser1', appid: 'wxApp1' },
      env: 'env-1',
      wxContext: { OPENID: 'oUser1', APPID: 'wxApp1', ENV: 'env-1' },
    })
  })

  it('gives a signed HTTP call the server caller', async () => {
    const { main } = signUpModule({ environment: { WX_CONTEXT_KEYS: 'WX_APPID,WX_OPENID', TCB_ENV: 'env-1' } })
    await expect(main(envelope('whoAmI'))).resolves.toMatchObject({ data: { caller: { type: 'server' } } })
  })
})

describe('defineModule: idempotency', () => {
  it('runs a retried call once and answers the retry from its record', async () => {
    const { main, runs } = signUpModule()
    const first = await main(envelope('doSignIn', { day: 'tue' }, { idempotencyKey: 'k1' }))
    const retry = await main(envelope('doSignIn', { day: 'tue' }, { idempotencyKey: 'k1' }))
    expect(retry).toEqual(first)
    expect(runs.doSignIn).toBe(1)
    await main(envelope('doSignIn', { day: 'tue' }, { idempotencyKey: 'k2' }))
    expect(runs.doSignIn).toBe(2)
  })

  it('answers -6 to a duplicate while the first run is still going', async () => {
    const { main } = signUpModule()
    const [first, duplicate] = await Promise.all([
      main(envelope('slow', undefined, { idempotencyKey: 'k' })),
      main(envelope('slow', undefined, { idempotencyKey: 'k' })),
    ])
    expect(first).toMatchObject({ code: 0, data: { done: true } })
    expect(duplicate).toMatchObject({ code: RESERVED_MODULE_CODES.REQUEST_IN_PROGRESS })
    await expect(main(envelope('slow', undefined, { idempotencyKey: 'k' }))).resolves.toEqual(first)
  })

  it('keeps keys of different users apart', async () => {
    const { main: asUser, runs } = signUpModule()
    await asUser(envelope('doSignIn', { day: 'wed' }, { idempotencyKey: 'shared' }))
    const other = defineModule({
      id: 'tcb:SignUp',
      environment: () => ({ ...userEnvironment, WX_OPENID: 'oUser2' }),
      methods: { doSignIn: async () => ({ ran: true }) },
    })
    await expect(other(envelope('doSignIn', { day: 'wed' }, { idempotencyKey: 'shared' }))).resolves.toMatchObject({ data: { ran: true } })
    expect(runs.doSignIn).toBe(1)
  })

  it("keeps a caller's record when another caller makes 10 000 keyed calls", async () => {
    const store = createMemoryIdempotencyStore()
    const { main: asUser, runs } = signUpModule({ idempotencyStore: store })
    const first = await asUser(envelope('doSignIn', { day: 'fri' }, { idempotencyKey: 'mine' }))
    const flood = defineModule({
      id: 'tcb:SignUp',
      idempotencyStore: store,
      environment: () => ({ ...userEnvironment, WX_OPENID: 'oFlooder' }),
      methods: { doSignIn: async () => ({ flooded: true }) },
    })
    for (let index = 0; index < 10_000; index += 1) await flood(envelope('doSignIn', { day: 'x' }, { idempotencyKey: `f${index}` }))
    expect(store.stats().entries).toBeLessThanOrEqual(10_000)
    await expect(asUser(envelope('doSignIn', { day: 'fri' }, { idempotencyKey: 'mine' }))).resolves.toEqual(first)
    expect(runs.doSignIn).toBe(1)
  })

  it('frees the key of a run whose instance died once the lease ends, not after 24 h', async () => {
    let time = Date.UTC(2026, 10, 21)
    const store = createMemoryIdempotencyStore({ now: () => time })
    const dying = defineModule({
      id: 'tcb:SignUp',
      idempotencyStore: store,
      environment: () => userEnvironment,
      // The instance is frozen or killed mid-run: its promise never settles.
      methods: { doSignIn: () => new Promise(() => {}) },
    })
    void dying(envelope('doSignIn', { day: 'sat' }, { idempotencyKey: 'k' }))
    const { main: survivor, runs } = signUpModule({ idempotencyStore: store })
    await expect(survivor(envelope('doSignIn', { day: 'sat' }, { idempotencyKey: 'k' }))).resolves.toMatchObject({ code: -6 })
    time += 15 * 60 * 1000 - 1
    await expect(survivor(envelope('doSignIn', { day: 'sat' }, { idempotencyKey: 'k' }))).resolves.toMatchObject({ code: -6 })
    time += 1
    await expect(survivor(envelope('doSignIn', { day: 'sat' }, { idempotencyKey: 'k' }))).resolves.toMatchObject({ code: 0 })
    expect(runs.doSignIn).toBe(1)
    // The finished run's record lasts the full ttl.
    time += 23 * 60 * 60 * 1000
    await expect(survivor(envelope('doSignIn', { day: 'sat' }, { idempotencyKey: 'k' }))).resolves.toMatchObject({ code: 0 })
    expect(runs.doSignIn).toBe(1)
  })

  it('keeps recorded answers within the memory budget', async () => {
    const store = createMemoryIdempotencyStore({ maxBytes: 8 * 1024 * 1024 })
    const main = defineModule({
      id: 'tcb:SignUp',
      idempotencyStore: store,
      environment: () => userEnvironment,
      methods: { big: async (data: { index: number }) => ({ index: data.index, blob: 'b'.repeat(1024 * 1024) }) },
    })
    for (let index = 0; index < 40; index += 1) await main(envelope('big', { index }, { idempotencyKey: `big${index}` }))
    expect(store.stats().bytes).toBeLessThanOrEqual(8 * 1024 * 1024)
    // The latest answers are still there.
    await expect(main(envelope('big', { index: -1 }, { idempotencyKey: 'big39' }))).resolves.toMatchObject({ data: { index: 39 } })
  })

  it('scopes a key to its method, and keeps an openid "server" apart from server callers', async () => {
    const { main, runs } = signUpModule()
    await main(envelope('doSignIn', { day: 'sun' }, { idempotencyKey: 'same' }))
    await expect(main(envelope('whoAmI', undefined, { idempotencyKey: 'same' }))).resolves.toMatchObject({
      data: { caller: { type: 'wechat-user' } },
    })
    const store = createMemoryIdempotencyStore()
    const asServer = signUpModule({ idempotencyStore: store, environment: { TCB_ENV: 'env-1' } })
    const asUserNamedServer = signUpModule({ idempotencyStore: store, environment: { ...userEnvironment, WX_OPENID: 'server' } })
    await asServer.main(envelope('doSignIn', { day: 'mon' }, { idempotencyKey: 'k' }))
    await asUserNamedServer.main(envelope('doSignIn', { day: 'mon' }, { idempotencyKey: 'k' }))
    expect([asServer.runs.doSignIn, asUserNamedServer.runs.doSignIn, runs.doSignIn]).toEqual([1, 1, 1])
  })

  it('keeps the same key of different methods apart (the record is caller + module + method + key)', async () => {
    const { main, runs } = signUpModule()
    await main(envelope('doSignIn', { day: 'thu' }, { idempotencyKey: 'same' }))
    await expect(main(envelope('slow', undefined, { idempotencyKey: 'same' }))).resolves.toMatchObject({ code: 0, data: { done: true } })
    expect(runs.doSignIn).toBe(1)
  })

  it('runs once behind core PageModule retries', async () => {
    const { main, runs } = signUpModule()
    let attempts = 0
    const transport: Transport = {
      name: 'flaky',
      async send(request) {
        attempts++
        const body = await main(JSON.parse(JSON.stringify(request.envelope)))
        // The first answer is lost on the way back: the client retries with the same key.
        if (attempts === 1) throw new PageModuleError({ code: 'NETWORK', message: 'reset', retryable: true, requestSent: true })
        return { body }
      },
    }
    const signUp = new PageModule('tcb:SignUp', { transport, retryDelay: () => 0 })
    await expect(signUp.callMethod('doSignIn', { day: 'thu' }, { idempotencyKey: true })).resolves.toEqual({ streak: 1 })
    expect(attempts).toBe(2)
    expect(runs.doSignIn).toBe(1)
  })
})

describe('defineModule: custom interfaces', () => {
  it('calls <provider>-<Name>-api with the custom-interface event', async () => {
    const invokeFunction = vi.fn(async () => ({ code: 0, msg: 'suc', points: 10 }))
    const { main } = signUpModule({ invokeFunction })
    await expect(main(envelope('prize', { name: 'sendPrize' }))).resolves.toEqual({
      code: 0,
      data: { code: 0, msg: 'suc', points: 10 },
      requestId: 'req-1',
    })
    expect(invokeFunction).toHaveBeenCalledWith('tcb-SignUp-api', {
      pageModuleCustomApi: 1,
      module: 'tcb:SignUp',
      name: 'sendPrize',
      data: { openid: 'oUser1' },
      requestId: 'req-1',
    })
  })

  it('takes the function name from PAGE_MODULE_CUSTOM_API_FUNCTION', async () => {
    const invokeFunction = vi.fn(async () => ({ code: 0 }))
    const { main } = signUpModule({ invokeFunction, environment: { ...userEnvironment, PAGE_MODULE_CUSTOM_API_FUNCTION: 'bizApis' } })
    await main(envelope('prize', { name: 'sendPrize' }))
    expect(invokeFunction).toHaveBeenCalledWith('bizApis', expect.anything())
  })

  it('passes -1 and -2 of the business on to the caller, and refuses a bad answer', async () => {
    const notImplemented = signUpModule({
      invokeFunction: async () => ({ code: -1, msg: '自定义接口未实现，请按规范在 api/sendPrize.js 文件中编写代码实现接口' }),
    })
    await expect(notImplemented.main(envelope('prize', { name: 'sendPrize' }))).resolves.toMatchObject({
      code: -1,
      msg: '自定义接口未实现，请按规范在 api/sendPrize.js 文件中编写代码实现接口',
    })
    const nonsense = signUpModule({ invokeFunction: async () => 'hello' })
    await expect(nonsense.main(envelope('prize', { name: 'sendPrize' }))).resolves.toMatchObject({
      code: -2,
      msg: expect.stringMatching(/^调用接口实现异常：/),
    })
    const unreachable = signUpModule({
      invokeFunction: async () => Promise.reject(new Error('FunctionName parameter could not be found.')),
    })
    await expect(unreachable.main(envelope('prize', { name: 'sendPrize' }))).resolves.toMatchObject({
      code: -2,
      msg: expect.stringContaining('could not be found'),
    })
  })

  it('refuses interface names that are not identifiers before calling anything', async () => {
    const invokeFunction = vi.fn(async () => ({ code: 0 }))
    const { main } = signUpModule({ invokeFunction })
    for (const name of ['../secret', '__proto__', 'a/b', '']) {
      await expect(main(envelope('prize', { name }))).resolves.toMatchObject({ code: -2 })
    }
    expect(invokeFunction).not.toHaveBeenCalled()
  })
})

describe('defineModule: a wrong definition', () => {
  it.each([
    ['methods that are not an object', { id: 'tcb:SignUp', methods: null }],
    ['a method that is not a function', { id: 'tcb:SignUp', methods: { doSignIn: 'yes' } }],
  ])('refuses %s with a PageModuleError INVALID_OPTIONS, the one error type', (_case, definition) => {
    expect(() => defineModule(definition as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS', module: 'tcb:SignUp' }))
  })
})
