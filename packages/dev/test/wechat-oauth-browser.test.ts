import { chromium, type Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWeChatServer, type WeChatServerHarness } from './wechat-server-harness'

// Debian's Chromium (tooling/scripts/ensure-chromium.sh installs it), driven by playwright-core.
const CHROMIUM = '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update']
const PREFIX = '/boilerplate/wechat/api/v1'

let browser: Browser
let harness: WeChatServerHarness | undefined
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('Official Account login in a real browser', () => {
  it('follows authorize → the emulator’s consent page → callback → back to /account, signed in', async () => {
    harness = await startWeChatServer()
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${harness.url}/account`)
    expect(await page.textContent('#who')).toBe('未登录')

    await page.click('#sign-in')
    await page.waitForURL((url) => url.pathname === '/connect/oauth2/authorize')
    expect(new URL(page.url()).origin).toBe(harness.emulator.url)
    expect(await page.textContent('#user')).toBe('微信用户')

    await page.click('#allow')
    await page.waitForURL(`${harness.url}/account`)
    expect(await page.textContent('#who')).toBe('已登录：微信用户')
    expect(await page.textContent('#openid')).toBe(harness.wechat.webAuthorization.openidOf(harness.wechat.appId))
    const cookies = await context.cookies(harness.url)
    expect(cookies).toEqual([expect.objectContaining({ name: 'wechat_session', httpOnly: true, sameSite: 'Lax' })])
    await context.close()
  }, 60_000)

  it('refuses an open-redirect return-to and a forged state; the browser stays signed out', async () => {
    harness = await startWeChatServer()
    const context = await browser.newContext()
    const page = await context.newPage()
    for (const returnTo of ['https://evil.example/', '//evil.example/', '/%2F%2Fevil.example', '/\\evil.example']) {
      const response = await page.goto(`${harness.url}${PREFIX}/wechat-mp/authorize?return_to=${encodeURIComponent(returnTo)}`)
      expect([returnTo, response?.status()]).toEqual([returnTo, 400])
      expect(new URL(page.url()).origin).toBe(harness.url)
      expect(await page.textContent('body')).toContain('OAUTH_RETURN_TO_REFUSED')
    }

    // A forged callback: a state this server never issued.
    const forged = await page.goto(`${harness.url}${PREFIX}/wechat-mp/callback?code=anything&state=ForgedState123`)
    expect(forged?.status()).toBe(403)
    expect(await page.textContent('body')).toContain('OAUTH_STATE_INVALID')

    // A state issued to another browser is refused in this one too once used: replay the first callback URL.
    const other = await browser.newContext()
    const victim = await other.newPage()
    await victim.goto(`${harness.url}/account`)
    await victim.click('#sign-in')
    let callbackUrl = ''
    victim.on('request', (request) => {
      if (request.url().includes('/wechat-mp/callback')) callbackUrl = request.url()
    })
    await victim.click('#allow')
    await victim.waitForURL(`${harness.url}/account`)
    expect(callbackUrl).not.toBe('')
    const replayed = await page.goto(callbackUrl)
    expect(replayed?.status()).toBe(403)

    await page.goto(`${harness.url}/account`)
    expect(await page.textContent('#who')).toBe('未登录')
    expect(await context.cookies(harness.url)).toEqual([])
    await other.close()
    await context.close()
  }, 60_000)
})
