import { afterEach, describe, expect, it } from 'vitest'
import { createWeChatApiEmulator } from '../../../../dev/src/emulator/wechat/wechat-api-emulator'
import { mountWebAuthorization } from '../../../../dev/src/emulator/wechat/oauth/web-authorization'
import { serve, type Served } from '../../../test/loopback'
import { createWeChatClient } from '../../client/wechat-client'
import { createOfficialAccountOAuth } from './official-account-oauth'

const APP = { appId: 'wx00000000000000b2', appSecret: 'official-account-secret-0123456789' }
const REDIRECT = 'https://app.example/boilerplate/wechat/api/v1/wechat-mp/callback'
const running: Served[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

async function start() {
  const wechat = createWeChatApiEmulator({ apps: [APP] })
  const web = mountWebAuthorization(wechat, { user: { nickname: 'Band', unionid: 'oUnionBand' } })
  const server = await serve(wechat)
  running.push(server)
  const client = createWeChatClient({ ...APP, apiBaseUrl: server.url })
  return { web, oauth: createOfficialAccountOAuth({ client, openBaseUrl: server.url }) }
}

/** What a browser does on the emulator's authorize page: opens the link, presses 允许 or 拒绝, follows the redirect. */
async function consent(url: string, decision: 'allow' | 'deny'): Promise<URL> {
  const page = await fetch(url, { redirect: 'manual' })
  const html = await page.text()
  const id = /name="consent" value="([^"]+)"/.exec(html)?.[1]
  expect(id, html).toBeDefined()
  const answer = await fetch(new URL('/connect/oauth2/authorize/consent', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent: id as string, decision }),
    redirect: 'manual',
  })
  expect(answer.status).toBe(302)
  return new URL(answer.headers.get('location') as string)
}

describe('Official Account web authorization against the emulator', () => {
  it('begins, consents, completes with the profile and the return-to path, then refreshes and checks the token', async () => {
    const { oauth, web } = await start()
    const { url, state } = await oauth.begin({ redirectUri: REDIRECT, scope: 'snsapi_userinfo', returnTo: '/orders?tab=paid' })
    expect(state).toMatch(/^[A-Za-z0-9]{32}$/)
    const back = await consent(url, 'allow')
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT)
    expect(back.searchParams.get('state')).toBe(state)
    const done = await oauth.complete({ code: back.searchParams.get('code'), state: back.searchParams.get('state') })
    expect(done).toMatchObject({
      returnTo: '/orders?tab=paid',
      tokens: { openid: web.openidOf(APP.appId), scope: 'snsapi_userinfo', unionid: 'oUnionBand', expiresIn: 7200 },
      user: { nickname: 'Band', openid: web.openidOf(APP.appId), privilege: [] },
    })
    // The code is single use and the state too.
    await expect(oauth.exchangeCode(back.searchParams.get('code') as string)).rejects.toMatchObject({ details: { errcode: 40163 } })
    await expect(oauth.complete({ code: 'x', state })).rejects.toMatchObject({ code: 'OAUTH_STATE_INVALID' })
    const refreshed = await oauth.refresh(done.tokens.refreshToken)
    expect(refreshed.accessToken).not.toBe(done.tokens.accessToken)
    expect(await oauth.checkAccessToken({ accessToken: refreshed.accessToken, openid: refreshed.openid })).toBe(true)
    expect(await oauth.checkAccessToken({ accessToken: 'forged', openid: refreshed.openid })).toBe(false)
  })

  it('refuses a forged state before exchanging anything, and an open-redirect return-to before sending the browser away', async () => {
    const { oauth } = await start()
    await expect(oauth.complete({ code: 'any', state: 'ForgedState123' })).rejects.toMatchObject({ code: 'OAUTH_STATE_INVALID' })
    await expect(oauth.complete({ code: 'any', state: null })).rejects.toMatchObject({ code: 'OAUTH_STATE_INVALID' })
    for (const returnTo of ['https://evil.example/', '//evil.example', '/%2F%2Fevil.example', '/\\evil.example']) {
      await expect(oauth.begin({ redirectUri: REDIRECT, scope: 'snsapi_base', returnTo })).rejects.toMatchObject({
        code: 'OAUTH_RETURN_TO_REFUSED',
      })
    }
  })

  it('is silent for snsapi_base (no profile, userinfo refused with 48001) and treats a declined consent as signed out', async () => {
    const { oauth } = await start()
    const base = await oauth.begin({ redirectUri: REDIRECT, scope: 'snsapi_base' })
    const silent = await fetch(base.url, { redirect: 'manual' })
    expect(silent.status).toBe(302)
    const back = new URL(silent.headers.get('location') as string)
    const done = await oauth.complete({ code: back.searchParams.get('code'), state: back.searchParams.get('state') })
    expect(done.user).toBeUndefined()
    expect(done.tokens.unionid).toBeUndefined()
    await expect(oauth.userInfo({ accessToken: done.tokens.accessToken, openid: done.tokens.openid })).rejects.toMatchObject({
      details: { errcode: 48001 },
    })
    const declined = await oauth.begin({ redirectUri: REDIRECT, scope: 'snsapi_userinfo' })
    const without = await consent(declined.url, 'deny')
    expect(without.searchParams.has('code')).toBe(false)
    await expect(oauth.complete({ code: null, state: without.searchParams.get('state') })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })

  it('the emulator refuses an authorize link whose parameters are out of WeChat’s order', async () => {
    const { oauth } = await start()
    const url = new URL(oauth.authorizeUrl({ redirectUri: REDIRECT, scope: 'snsapi_base', state: 'abc' }))
    const reordered = new URL(url)
    reordered.search = `?scope=snsapi_base&${url.search.slice(1).replace('&scope=snsapi_base', '')}`
    const page = await fetch(reordered, { redirect: 'manual' })
    expect(page.status).toBe(400)
    expect(await page.text()).toContain('参数顺序错误')
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302)
  })
})
