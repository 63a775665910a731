import { describe, expect, it } from 'vitest'
import { APP as app, startEmulatedWeChat } from '../../../../wechat/test/emulated-wechat'
import type { WeChatApiEmulatorOptions } from './wechat-api-emulator'

async function start(options: Partial<WeChatApiEmulatorOptions> = {}) {
  const { emulator, apiBaseUrl: url, advance } = await startEmulatedWeChat(options)
  const getJson = async (path: string, init?: RequestInit) => (await (await fetch(`${url}${path}`, init)).json()) as Record<string, unknown>
  return {
    emulator,
    url,
    advance,
    token: (appId: string = app.appId, secret: string = app.appSecret) =>
      getJson(`/cgi-bin/token?grant_type=client_credential&appid=${appId}&secret=${secret}`),
    stableToken: (forceRefresh = false) =>
      getJson('/cgi-bin/stable_token', {
        method: 'POST',
        body: JSON.stringify({ grant_type: 'client_credential', appid: app.appId, secret: app.appSecret, force_refresh: forceRefresh }),
      }),
  }
}

describe('createWeChatApiEmulator', () => {
  it('issues 7200 s tokens; a new one leaves the previous valid for 5 minutes, then 40001; expiry is 42001', async () => {
    const { emulator, token, advance } = await start()
    const first = await token()
    expect(first).toMatchObject({ expires_in: 7200 })
    advance(1000)
    const second = await token()
    expect(second['access_token']).not.toBe(first['access_token'])
    advance(299_000)
    expect(emulator.checkToken(String(first['access_token'])).errcode).toBe(0)
    advance(1000)
    expect(emulator.checkToken(String(first['access_token'])).errcode).toBe(40001)
    advance(7200_000)
    expect(emulator.checkToken(String(second['access_token'])).errcode).toBe(42001)
    expect(emulator.counters).toMatchObject({ tokenRequests: 2, tokensIssued: 2 })
  })

  it('answers 40013 for an unknown appid, 40125 for a wrong secret, 40002 for a wrong grant_type', async () => {
    const { token, url } = await start()
    expect(await token('wx-nobody')).toMatchObject({ errcode: 40013 })
    expect(await token(app.appId, 'wrong')).toMatchObject({ errcode: 40125 })
    expect(await (await fetch(`${url}/cgi-bin/token?grant_type=x&appid=${app.appId}&secret=${app.appSecret}`)).json()).toMatchObject({
      errcode: 40002,
    })
  })

  it('answers 40164 with the caller’s IP when it is not whitelisted', async () => {
    const { token } = await start({ apps: [{ ...app, ipWhitelist: ['203.0.113.7'] }] })
    const answer = await token()
    expect(answer).toMatchObject({ errcode: 40164 })
    expect(answer['errmsg']).toMatch(/^invalid ip 127\.0\.0\.1 /)
  })

  it('answers 45009 once the daily quota is used, and counts again the next (Beijing) day', async () => {
    const { token, advance } = await start({ dailyQuota: 2 })
    await token()
    await token()
    expect(await token()).toMatchObject({ errcode: 45009 })
    advance(24 * 3600_000)
    expect(await token()).toHaveProperty('access_token')
  })

  it('stable_token returns the current token while valid, a new one with force_refresh or in its last 5 minutes', async () => {
    const { emulator, stableToken, token, advance } = await start()
    const first = await stableToken()
    advance(60_000)
    const again = await stableToken()
    expect(again['access_token']).toBe(first['access_token'])
    expect(again['expires_in']).toBe(7140)
    expect((await token())['access_token']).not.toBe(first['access_token'])
    expect(emulator.checkToken(String(first['access_token'])).errcode).toBe(0)
    const forced = await stableToken(true)
    expect(forced['access_token']).not.toBe(first['access_token'])
    advance(7200_000 - 299_000)
    expect((await stableToken())['access_token']).not.toBe(forced['access_token'])
    expect(emulator.counters).toMatchObject({ stableTokenRequests: 4, tokenRequests: 1, tokensIssued: 4 })
  })

  it('invokes functions with a valid token only, and passes the event through', async () => {
    const calls: unknown[] = []
    const { emulator, token, url } = await start({
      invokeFunction: (name, event, context) => {
        calls.push({ name, event, context })
        if (name === 'missing') throw Object.assign(new Error('no such function'), { code: 'FUNCTION_NOT_FOUND' })
        if (name === 'broken') throw new Error('boom')
        return { echoed: event }
      },
    })
    const accessToken = String((await token())['access_token'])
    const invoke = async (name: string, tokenToUse = accessToken, body = '{"a":1}') =>
      (await (
        await fetch(`${url}/tcb/invokecloudfunction?access_token=${tokenToUse}&env=env-1&name=${name}`, { method: 'POST', body })
      ).json()) as Record<string, unknown>
    expect(await invoke('echo')).toEqual({ errcode: 0, errmsg: 'ok', resp_data: '{"echoed":{"a":1}}' })
    expect(calls[0]).toEqual({ name: 'echo', event: { a: 1 }, context: { appId: app.appId, env: 'env-1' } })
    expect(await invoke('echo', 'not-a-token')).toMatchObject({ errcode: 40001 })
    expect(await invoke('echo', accessToken, '')).toMatchObject({ errcode: 44002 })
    expect(await invoke('missing')).toMatchObject({ errcode: -501000 })
    expect(await invoke('broken')).toMatchObject({ errcode: -504002 })
    emulator.revokeTokens(app.appId)
    expect(await invoke('echo')).toMatchObject({ errcode: 40001 })
    expect(emulator.counters).toMatchObject({ invocations: 3, rejectedTokens: 2 })
  })

  it('declines routes it does not serve', async () => {
    const { url } = await start()
    expect((await fetch(`${url}/admin`)).status).toBe(404)
  })
})
