import { inspect } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { APP, startEmulatedWeChat, type EmulatedWeChat } from '../../test/emulated-wechat'
import { freePort, serve } from '../../test/loopback'
import { createAccessTokenManager, type AccessTokenManagerOptions } from './access-token-manager'
import { createMemoryTokenStore } from './memory-token-store'

function managerFor(wechat: EmulatedWeChat, options: Partial<AccessTokenManagerOptions> = {}) {
  return createAccessTokenManager({ ...APP, apiBaseUrl: wechat.apiBaseUrl, now: wechat.now, backgroundRefresh: false, ...options })
}

/** What WeChat's API answers for a call made with `accessToken`: `{ errcode: 0 }` or the refusal. */
function callApi(wechat: EmulatedWeChat, calls: string[] = []) {
  return async (accessToken: string) => {
    calls.push(accessToken)
    return wechat.emulator.checkToken(accessToken)
  }
}

function expectNoSecret(value: unknown): void {
  for (const text of [String(value), JSON.stringify(value), inspect(value, { depth: 10 })]) expect(text).not.toContain(APP.appSecret)
}

describe('createAccessTokenManager', () => {
  it('fetches once for 250 concurrent callers in one process and caches the token while fresh', async () => {
    const wechat = await startEmulatedWeChat()
    const manager = managerFor(wechat)
    const tokens = await Promise.all(Array.from({ length: 250 }, () => manager.getAccessToken()))
    expect(new Set(tokens).size).toBe(1)
    wechat.advance(3600_000)
    expect(await manager.getAccessToken()).toBe(tokens[0])
    expect(wechat.emulator.counters).toMatchObject({ tokenRequests: 1, tokensIssued: 1 })
  })

  it('uses POST /cgi-bin/stable_token when stable is set', async () => {
    const wechat = await startEmulatedWeChat()
    const store = createMemoryTokenStore()
    const token = await managerFor(wechat, { stable: true, store }).getAccessToken()
    // A second service with its own store gets the same stable token instead of replacing it.
    expect(await managerFor(wechat, { stable: true }).getAccessToken()).toBe(token)
    expect(wechat.emulator.counters).toMatchObject({ stableTokenRequests: 2, tokenRequests: 0, tokensIssued: 1 })
  })

  it('fetches a refused but valid stable token again in normal mode, with a bounded number of fetches for two hours', async () => {
    const wechat = await startEmulatedWeChat()
    const manager = managerFor(wechat, { stable: true })
    const stableToken = await manager.getAccessToken()
    // A 40001 that was not the token's fault: WeChat still accepts it, and stable_token keeps answering it.
    await manager.invalidate(stableToken)
    expect(wechat.emulator.checkToken(stableToken).errcode).toBe(0)
    const seen = new Set<string>()
    for (let minute = 0; minute <= 130; minute += 5) {
      const token = await manager.getAccessToken()
      expect(token).not.toBe(stableToken)
      expect(wechat.emulator.checkToken(token).errcode).toBe(0)
      seen.add(token)
      wechat.advance(5 * 60_000)
    }
    // One stable fetch gave the refused token back and one normal fetch replaced it; later refreshes fetch once each.
    const { stableTokenRequests, tokenRequests } = wechat.emulator.counters
    expect(tokenRequests).toBeGreaterThanOrEqual(1)
    expect(stableTokenRequests + tokenRequests).toBeLessThanOrEqual(4)
    expect(seen.size).toBe(2)
  })

  it('refreshes ahead of expiry in the background while the old token keeps working for WeChat’s 5 minutes', async () => {
    const wechat = await startEmulatedWeChat()
    // Ten minutes ahead, so the old token would outlive WeChat's 5-minute overlap if nothing ended it.
    const manager = managerFor(wechat, { refreshAheadSeconds: 600 })
    const old = await manager.getAccessToken()
    wechat.advance(7200_000 - 600_000 + 1000)
    expect(await manager.getAccessToken()).toBe(old)
    // The background refresh ends when the manager has stored the new token, a moment after WeChat issued it.
    const fresh = await vi.waitFor(async () => {
      const current = await manager.getAccessToken()
      expect(current).not.toBe(old)
      return current
    })
    expect(wechat.emulator.counters.tokensIssued).toBe(2)
    // Calls still holding the old token succeed until 5 minutes after the new one was issued.
    expect(wechat.emulator.checkToken(old).errcode).toBe(0)
    wechat.advance(299_000)
    expect(wechat.emulator.checkToken(old).errcode).toBe(0)
    wechat.advance(1000)
    expect(wechat.emulator.checkToken(old).errcode).toBe(40001)
    expect(wechat.emulator.checkToken(fresh).errcode).toBe(0)
    expect(wechat.emulator.counters.tokensIssued).toBe(2)
  })

  it('refreshes exactly once when 100 concurrent calls all hit 40001 with the same token', async () => {
    const wechat = await startEmulatedWeChat()
    const manager = managerFor(wechat)
    const revoked = await manager.getAccessToken()
    wechat.emulator.revokeTokens(APP.appId)
    const calls: string[] = []
    const results = await Promise.all(Array.from({ length: 100 }, () => manager.withAccessToken(callApi(wechat, calls))))
    expect(results.every((result) => result.errcode === 0)).toBe(true)
    expect(wechat.emulator.counters.tokensIssued).toBe(2)
    expect(calls.filter((token) => token === revoked)).toHaveLength(100)
    expect(new Set(calls.filter((token) => token !== revoked)).size).toBe(1)
  })

  it('invalidates by compare-and-expire: reporting an old token never drops a newer one', async () => {
    const wechat = await startEmulatedWeChat()
    const store = createMemoryTokenStore()
    const manager = managerFor(wechat, { store })
    const first = await manager.getAccessToken()
    expect(await manager.invalidate(first)).toBe(true)
    const second = await manager.getAccessToken()
    // Another process reports the first token late.
    expect(await managerFor(wechat, { store }).invalidate(first)).toBe(false)
    expect((await store.get(APP.appId))?.accessToken).toBe(second)
    expect(await manager.getAccessToken()).toBe(second)
    expect(wechat.emulator.counters.tokensIssued).toBe(2)
  })

  it('retries a refused token once and never loops', async () => {
    const wechat = await startEmulatedWeChat()
    const manager = managerFor(wechat)
    const fn = vi.fn(async (_accessToken: string) => ({ errcode: 40001, errmsg: 'invalid credential' }))
    expect(await manager.withAccessToken(fn)).toEqual({ errcode: 40001, errmsg: 'invalid credential' })
    expect(fn).toHaveBeenCalledTimes(2)
    expect(fn.mock.calls[0]?.[0]).not.toBe(fn.mock.calls[1]?.[0])
    const failing = vi.fn(async () => {
      throw new Error('not a token problem')
    })
    await expect(manager.withAccessToken(failing)).rejects.toThrow('not a token problem')
    expect(failing).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['a wrong secret', { appSecret: 'wrong-secret-value' }, {}, 'WECHAT_INVALID_SECRET'],
    ['an unknown appid', { appId: 'wx9999999999999999' }, {}, 'WECHAT_INVALID_APPID'],
    ['an IP outside the whitelist', {}, { apps: [{ ...APP, ipWhitelist: ['203.0.113.7'] }] }, 'WECHAT_IP_NOT_WHITELISTED'],
    ['a used-up quota', {}, { dailyQuota: 0 }, 'WECHAT_QUOTA_EXCEEDED'],
  ] as const)(
    'reports %s as a typed error, without retrying or leaking the secret',
    async (_case, managerOptions, emulatorOptions, code) => {
      const wechat = await startEmulatedWeChat(emulatorOptions)
      const manager = managerFor(wechat, managerOptions)
      const error = await manager.getAccessToken().catch((caught: unknown) => caught)
      expect(error).toMatchObject({ name: 'PageModuleError', code, retryable: false, requestSent: true })
      expect(wechat.emulator.counters.tokenRequests).toBe(1)
      expectNoSecret(error)
      if (code === 'WECHAT_IP_NOT_WHITELISTED') {
        expect(error).toMatchObject({ details: { ip: '127.0.0.1' } })
        expect(String(error)).toContain('WeChat saw this server as 127.0.0.1')
      }
    },
  )

  it('never follows a redirect of apiBaseUrl: the AppSecret does not reach the other host', async () => {
    const reached: string[] = []
    const other = await serve(async (request) => {
      reached.push(request.url ?? '')
      return false
    })
    const redirecting = await serve(async (request, response) => {
      response.writeHead(307, { location: `${other.url}${request.url ?? ''}` }).end()
      return true
    })
    try {
      for (const stable of [false, true]) {
        const manager = createAccessTokenManager({ ...APP, apiBaseUrl: redirecting.url, stable })
        const error = await manager.getAccessToken().catch((caught: unknown) => caught)
        expect(error).toMatchObject({ code: 'HTTP_ERROR', details: { status: 307 }, message: expect.stringContaining('not followed') })
        expectNoSecret(error)
      }
      expect(reached).toEqual([])
    } finally {
      await redirecting.close()
      await other.close()
    }
  })

  it('keeps the secret out of its JSON, its inspection and network errors', async () => {
    const port = await freePort()
    const manager = createAccessTokenManager({ ...APP, apiBaseUrl: `http://127.0.0.1:${port}` })
    expect(manager.toJSON()).toEqual({ appId: APP.appId, apiBaseUrl: `http://127.0.0.1:${port}`, stable: false })
    expectNoSecret(manager)
    const error = await manager.getAccessToken().catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'NETWORK', requestSent: false, retryable: true })
    expectNoSecret(error)
  })

  it('refuses missing credentials before sending anything', () => {
    expect(() => createAccessTokenManager({ appId: APP.appId, appSecret: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    )
    expect(() => createAccessTokenManager({ appId: 'wx 1', appSecret: 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})
