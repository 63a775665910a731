import path from 'node:path'
import { inspect } from 'node:util'
import { mountWeChatApi, startEmulator, type Emulator, type MountedWeChatApi } from '@page-module/dev'
import { createAccessTokenManager } from '@page-module/wechat'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PageModule } from '../src/page-module'

// The examples' tcb:SignUp module and its custom interface, reached through WeChat's HTTP API as emulated locally.
const functionsDir = path.resolve(import.meta.dirname, '../../../examples/cloudfunctions')
let emulator: Emulator
let wechat: MountedWeChatApi

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'wechat-env', log: () => undefined })
  wechat = mountWeChatApi(emulator)
})

afterAll(async () => {
  await emulator?.close()
})

function signUpModule(options: Record<string, unknown> = {}) {
  return new PageModule('tcb:SignUp', {
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    env: emulator.env,
    apiBaseUrl: wechat.apiBaseUrl,
    retries: 0,
    ...options,
  })
}

function visibleForms(error: unknown): string[] {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]
}

describe('new PageModule(id, { appId, appSecret, env }) — the WeChat HTTP API', () => {
  it("calls the module through tcb/invokecloudfunction: resp_data is the module's answer, the custom interface ran", async () => {
    const answer = await signUpModule().callMethod('doSignIn', { userId: 'u-wechat-1', day: '2026-11-20' })
    expect(answer).toMatchObject({ day: '2026-11-20', streak: 1, prize: { code: 0, points: 10 } })
    const refusal = await signUpModule()
      .callMethod('doSignIn', { userId: 'u-wechat-1', day: '2026-11-20' })
      .catch((error: unknown) => error)
    expect(refusal).toMatchObject({
      code: 'MODULE_ERROR',
      moduleCode: 1001,
      message: expect.stringContaining('already signed in on 2026-11-20'),
    })
  })

  it('shares one stable_token manager per app in the process, however many PageModules there are', async () => {
    const before = { ...wechat.wechat.counters }
    await Promise.all([1, 2, 3].map((n) => signUpModule().callMethod('getSignInStatus', { userId: `u-shared-${n}` })))
    expect(wechat.wechat.counters.tokenRequests - before.tokenRequests).toBe(0)
    expect(wechat.wechat.counters.invocations - before.invocations).toBe(3)
    // Every token so far came from /cgi-bin/stable_token, and at most the first call of the file fetched one.
    expect(wechat.wechat.counters.stableTokenRequests).toBe(1)
  })

  it('refreshes once and succeeds when WeChat stops accepting the token (passive refresh)', async () => {
    const signUp = signUpModule()
    await signUp.callMethod('getSignInStatus', { userId: 'u-wechat-2' })
    const before = { ...wechat.wechat.counters }
    wechat.wechat.revokeTokens(wechat.appId)
    expect(await signUp.callMethod('doSignIn', { userId: 'u-wechat-2', day: '2026-11-21' })).toMatchObject({ streak: 1 })
    const delta = (name: keyof typeof before) => wechat.wechat.counters[name] - before[name]
    expect([delta('rejectedTokens'), delta('tokensIssued'), delta('invocations')]).toEqual([1, 1, 1])
  })

  it('uses the tokens it is given (here a /cgi-bin/token manager) instead of making one', async () => {
    const tokens = createAccessTokenManager({
      appId: wechat.appId,
      appSecret: wechat.appSecret,
      apiBaseUrl: wechat.apiBaseUrl,
      backgroundRefresh: false,
    })
    const before = wechat.wechat.counters.tokenRequests
    await new PageModule('tcb:SignUp', { tokens, env: emulator.env, apiBaseUrl: wechat.apiBaseUrl }).callMethod('getSignInStatus', {
      userId: 'u-wechat-3',
    })
    expect(wechat.wechat.counters.tokenRequests - before).toBe(1)
  })

  it('sends every WeChat request (token and call) through the fetch it is given, and ages tokens by its now', async () => {
    const paths: string[] = []
    const fetch = (url: string, init: RequestInit) => {
      paths.push(new URL(url).pathname)
      return globalThis.fetch(url, init)
    }
    let time = Date.now()
    const signUp = signUpModule({ fetch, now: () => time })
    await signUp.callMethod('getSignInStatus', { userId: 'u-wechat-fetch' })
    expect(paths).toEqual(['/cgi-bin/stable_token', '/tcb/invokecloudfunction'])
    // Three hours later by the injected clock the cached token is stale: a fresh one is fetched before the call.
    time += 3 * 3600_000
    await signUp.callMethod('getSignInStatus', { userId: 'u-wechat-fetch' })
    expect(paths).toEqual(['/cgi-bin/stable_token', '/tcb/invokecloudfunction', '/cgi-bin/stable_token', '/tcb/invokecloudfunction'])
    expect(() => signUpModule({ fetch: 'fetch' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })

  it("maps WeChat's answers: a missing function, another env, a wrong AppSecret — and shows no secret", async () => {
    const accessToken = await createAccessTokenManager({
      appId: wechat.appId,
      appSecret: wechat.appSecret,
      apiBaseUrl: wechat.apiBaseUrl,
      stable: true,
    }).getAccessToken()
    const missing = await signUpModule({ functionName: 'tcb-Missing' })
      .callMethod('doSignIn', {})
      .catch((error: unknown) => error)
    expect(missing).toMatchObject({ code: 'FUNCTION_NOT_FOUND', requestSent: true, details: { errcode: -501000 } })
    const otherEnv = await signUpModule({ env: 'another-env' })
      .callMethod('doSignIn', {})
      .catch((error: unknown) => error)
    expect(otherEnv).toMatchObject({ code: 'FUNCTION_NOT_FOUND', message: expect.stringContaining('another-env') })
    const wrongSecret = 'not-the-app-secret-0123456789'
    const refused = await signUpModule({ appSecret: wrongSecret })
      .callMethod('doSignIn', {})
      .catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'WECHAT_INVALID_SECRET', requestSent: false, details: { errcode: 40125 } })
    for (const text of [...visibleForms(missing), ...visibleForms(otherEnv)]) expect(text).not.toContain(accessToken)
    for (const text of visibleForms(refused)) expect(text).not.toContain(wrongSecret)
  })

  it('refuses unclear options before sending, naming them', () => {
    const attempt = (options: Record<string, unknown>) => {
      try {
        new PageModule('tcb:SignUp', options)
        return undefined
      } catch (error) {
        return error as { code: string; message: string }
      }
    }
    expect(attempt({ appId: 'wx1', appSecret: 's', secretId: 'AKID1', secretKey: 'k', env: 'e' })).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/secretId\/secretKey.*appId\/appSecret/),
    })
    expect(attempt({ appId: 'wx1', env: 'e' })).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('appSecret is missing'),
    })
    expect(attempt({ appId: 'wx1', appSecret: 'the-app-secret' })).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('env is missing'),
    })
    const tokens = createAccessTokenManager({ appId: 'wx1', appSecret: 'the-app-secret', backgroundRefresh: false })
    expect(attempt({ tokens, appSecret: 'the-app-secret', env: 'e' })).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('pass tokens, or appId with appSecret'),
    })
    expect(
      JSON.stringify(attempt({ appId: 'wx1', appSecret: 'the-app-secret', secretId: 'AKID1', secretKey: 'k', env: 'e' })),
    ).not.toContain('the-app-secret')
  })

  it('refuses a malformed appId on the first call (the toolkit checks it, loaded then), sending nothing, each call anew', async () => {
    const paths: string[] = []
    const fetch = (url: string, init: RequestInit) => {
      paths.push(new URL(url).pathname)
      return globalThis.fetch(url, init)
    }
    const signUp = signUpModule({ appId: 'not an appid', fetch })
    const first = await signUp.callMethod('getSignInStatus', { userId: 'u-bad-appid' }).catch((error: unknown) => error)
    const second = await signUp.callMethod('getSignInStatus', { userId: 'u-bad-appid' }).catch((error: unknown) => error)
    for (const refused of [first, second]) {
      expect(refused).toMatchObject({
        code: 'INVALID_OPTIONS',
        requestSent: false,
        message: expect.stringContaining('is not a valid appid'),
      })
    }
    expect(second).not.toBe(first)
    expect(paths).toEqual([])
  })
})
