import { afterEach, describe, expect, it } from 'vitest'
import { createWxLoginBridge } from '../src/wx-cloud-bridge/wx-login-bridge'
import { createPushSimulator } from '../src/emulator/wechat/push/push-simulator'
import { startWeChatServer, type Mount, type WeChatServerHarness } from './wechat-server-harness'

const PREFIX = '/boilerplate/wechat/api/v1'
let harness: WeChatServerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

async function login(url: string, code: string) {
  const response = await fetch(`${url}${PREFIX}/wechat-miniapp/user`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function put(url: string, token: string | undefined, body: object) {
  const response = await fetch(`${url}${PREFIX}/wechat-miniapp/user`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `wechat ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('examples/node-server: mini-program login against the emulator', () => {
  for (const mount of ['node-http', 'express', 'koa'] as const satisfies readonly Mount[]) {
    it(`${mount}: wx.login → POST user → token → getUserProfile → authorized PUT decrypts the profile`, async () => {
      harness = await startWeChatServer(mount)
      const user = createWxLoginBridge({ url: harness.emulator.url, appid: harness.wechat.appId, openid: 'oMiniUser', unionid: 'uMini' })
      const { code } = await user.login()
      const signedIn = await login(harness.url, code)
      expect(signedIn.status).toBe(200)
      expect(signedIn.body).toMatchObject({ user: { openid: 'oMiniUser' }, token: expect.any(String) })
      const token = signedIn.body['token'] as string
      // The token never carries the session_key.
      const sessionKey = harness.wechat.miniProgramLogin.sessionKeyOf(harness.wechat.appId, 'oMiniUser') as string
      expect(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).not.toContain(sessionKey)

      const profile = await user.getUserProfile({ profile: { nickName: 'Band', city: 'Guangzhou' } })
      const updated = await put(harness.url, token, {
        iv: profile.iv,
        encrypted_data: profile.encryptedData,
        raw_data: profile.rawData,
        signature: profile.signature,
      })
      expect(updated).toEqual({
        status: 200,
        body: {
          user: expect.objectContaining({
            openid: 'oMiniUser',
            openId: 'oMiniUser',
            unionId: 'uMini',
            nickName: 'Band',
            via: 'mini-program',
          }),
        },
      })
      const me = await fetch(`${harness.url}${PREFIX}/wechat-miniapp/user`, { headers: { authorization: `wechat ${token}` } })
      expect(await me.json()).toMatchObject({ user: { nickName: 'Band', city: 'Guangzhou' } })
    })
  }

  it('refuses a reused code, a PUT without or with a forged token, a tampered signature and data of an older session', async () => {
    harness = await startWeChatServer()
    const user = createWxLoginBridge({ url: harness.emulator.url, appid: harness.wechat.appId, openid: 'oMiniUser' })
    const { code } = await user.login()
    const token = (await login(harness.url, code)).body['token'] as string
    expect(await login(harness.url, code)).toMatchObject({ status: 400, body: { code: 'WECHAT_CODE_USED' } })
    const profile = await user.getUserProfile()
    const body = { iv: profile.iv, encrypted_data: profile.encryptedData }
    expect(await put(harness.url, undefined, body)).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } })
    expect(await put(harness.url, `${token}x`, body)).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } })
    expect(await put(harness.url, token, { ...body, raw_data: profile.rawData, signature: '0'.repeat(40) })).toMatchObject({
      status: 400,
      body: { code: 'WECHAT_SIGNATURE_MISMATCH' },
    })
    // A new login replaces the session_key: data encrypted for the new session cannot be read with the old one.
    await login(harness.url, (await user.login()).code)
    const newer = await user.getUserProfile()
    expect(await put(harness.url, token, { iv: newer.iv, encrypted_data: newer.encryptedData })).toMatchObject({
      status: 400,
      body: { code: 'WECHAT_DECRYPT_FAILED' },
    })
  })

  it('serves the push gateway under the prefix: verification, then a safe-mode text message answered encrypted', async () => {
    harness = await startWeChatServer('express')
    const simulator = createPushSimulator({
      url: `${harness.url}${PREFIX}/wechat-mp/gateway`,
      token: harness.pushToken,
      appId: harness.wechat.appId,
      encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    })
    expect(await simulator.verifyServer()).toBe(true)
    const outcome = await simulator.push({
      ToUserName: 'gh_1',
      FromUserName: 'oFan',
      CreateTime: 1714037059,
      MsgType: 'text',
      Content: '你好',
      MsgId: '1',
    })
    expect(outcome.reply).toMatchObject({ ToUserName: 'oFan', MsgType: 'text', Content: '收到：你好' })
    const unsubscribed = await simulator.push({
      ToUserName: 'gh_1',
      FromUserName: 'oFan',
      CreateTime: 1714037060,
      MsgType: 'event',
      Event: 'unsubscribe',
    })
    expect(unsubscribed.reply).toBe('success')
  })
})
