import { inspect } from 'node:util'
import { PageModule } from '@page-module/core'
import { describe, expect, it } from 'vitest'
import { APP, startEmulatedWeChat } from '../../test/emulated-wechat'
import { createAccessTokenManager } from '../tokens/access-token-manager'
import type { InvokeFunction } from '../../../dev/src/emulator/wechat/wechat-api-emulator'
import { createWeChatHttpTransport } from './wechat-http-transport'

// Answers like a PageModule host: `{ code, data, requestId }` for the envelope it was sent.
const moduleHost: InvokeFunction = (name, event) => {
  const envelope = event as { method: string; requestId: string; data?: unknown }
  if (envelope.method === 'explode') throw new Error('the method threw')
  return { code: 0, data: { functionName: name, method: envelope.method, echo: envelope.data }, requestId: envelope.requestId }
}

async function setup() {
  const wechat = await startEmulatedWeChat({ invokeFunction: moduleHost })
  const tokens = createAccessTokenManager({ ...APP, apiBaseUrl: wechat.apiBaseUrl, now: wechat.now, backgroundRefresh: false })
  const transport = createWeChatHttpTransport({ tokens, env: 'env-1a2b', apiBaseUrl: wechat.apiBaseUrl })
  return { wechat, tokens, signUp: new PageModule('tcb:SignUp', { transport, retries: 0 }) }
}

describe('createWeChatHttpTransport', () => {
  it('calls the module through /tcb/invokecloudfunction and returns what the function returned', async () => {
    const { signUp, wechat } = await setup()
    expect(await signUp.callMethod('doSignIn', { day: '2026-11-21' })).toEqual({
      functionName: 'tcb-SignUp',
      method: 'doSignIn',
      echo: { day: '2026-11-21' },
    })
    expect(wechat.emulator.counters).toMatchObject({ invocations: 1, tokensIssued: 1 })
  })

  it('refreshes once and succeeds when WeChat stops accepting the token (passive refresh, end to end)', async () => {
    const { signUp, wechat, tokens } = await setup()
    await signUp.callMethod('doSignIn', {})
    const revoked = await tokens.getAccessToken()
    wechat.emulator.revokeTokens(APP.appId)
    expect(await signUp.callMethod('doSignIn', { again: true })).toMatchObject({ echo: { again: true } })
    expect(await tokens.getAccessToken()).not.toBe(revoked)
    expect(wechat.emulator.counters).toMatchObject({ tokensIssued: 2, rejectedTokens: 1, invocations: 2 })
  })

  it('refreshes once when WeChat says the token expired (42001) though this server’s clock says it is fresh', async () => {
    const wechat = await startEmulatedWeChat({ invokeFunction: moduleHost })
    // This server's clock stands still (a suspended VM): by its reckoning the token never ages.
    const started = wechat.now()
    const tokens = createAccessTokenManager({ ...APP, apiBaseUrl: wechat.apiBaseUrl, now: () => started, backgroundRefresh: false })
    const signUp = new PageModule('tcb:SignUp', {
      transport: createWeChatHttpTransport({ tokens, env: 'env-1a2b', apiBaseUrl: wechat.apiBaseUrl }),
      retries: 0,
    })
    await signUp.callMethod('doSignIn', {})
    const expired = await tokens.getAccessToken()
    wechat.advance(7200_000)
    expect(wechat.emulator.checkToken(expired).errcode).toBe(42001)
    await signUp.callMethod('doSignIn', {})
    expect(wechat.emulator.counters).toMatchObject({ tokensIssued: 2, rejectedTokens: 1, invocations: 2 })
  })

  it('maps a failing function to FUNCTION_FAILED and never shows the access_token', async () => {
    const { signUp, tokens } = await setup()
    const error = await signUp.callMethod('explode', {}).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'FUNCTION_FAILED', requestSent: true, details: { errcode: -504002 } })
    const accessToken = await tokens.getAccessToken()
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) expect(text).not.toContain(accessToken)
  })

  it('marks a token that could not be had as not sent, so core may retry the call', async () => {
    const wechat = await startEmulatedWeChat({ invokeFunction: moduleHost })
    const transport = createWeChatHttpTransport({ ...APP, appSecret: 'wrong-secret', env: 'env-1a2b', apiBaseUrl: wechat.apiBaseUrl })
    const error = await new PageModule('tcb:SignUp', { transport, retries: 0 })
      .callMethod('doSignIn', {})
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'WECHAT_INVALID_SECRET', requestSent: false })
    expect(String(error)).not.toContain('wrong-secret')
    expect(wechat.emulator.counters.invocations).toBe(0)
  })

  it('refuses a missing env', () => {
    expect(() => createWeChatHttpTransport({ ...APP, env: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})
