import { afterEach, describe, expect, it } from 'vitest'
import { createWeChatApiEmulator } from '../../../dev/src/emulator/wechat/wechat-api-emulator'
import {
  LOGIN_CODE_TTL_MS,
  LOGINS_PER_USER_PER_MINUTE,
  mountMiniProgramLogin,
} from '../../../dev/src/emulator/wechat/auth/mini-program-login'
import { createWxLoginBridge } from '../../../dev/src/wx-cloud-bridge/wx-login-bridge'
import { serve, type Served } from '../../test/loopback'
import { createWeChatClient } from '../client/wechat-client'
import { code2Session } from './code-to-session'

const APP = { appId: 'wx00000000000000a1', appSecret: 'app-secret-for-login-0123456789' }
const running: Served[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

async function start() {
  let time = Date.UTC(2026, 10, 30, 2)
  const wechat = createWeChatApiEmulator({ apps: [APP] })
  const login = mountMiniProgramLogin(wechat, { now: () => time })
  const server = await serve(wechat)
  running.push(server)
  const client = createWeChatClient({ ...APP, apiBaseUrl: server.url })
  const user = createWxLoginBridge({ url: server.url, appid: APP.appId, openid: 'oUser1', unionid: 'uUnion1' })
  return { client, user, server, login, advance: (ms: number) => (time += ms) }
}

describe('code2Session against the emulator', () => {
  it('exchanges a code from wx.login() for openid, unionid and a 16-byte session_key', async () => {
    const { client, user } = await start()
    const { code } = await user.login()
    const session = await code2Session(client, { code })
    expect(session).toMatchObject({ openid: 'oUser1', unionid: 'uUnion1' })
    expect(Buffer.from(session.sessionKey, 'base64')).toHaveLength(16)
  })

  it('refuses a used code (40163), an unknown code (40029) and an expired one (40029), typed', async () => {
    const { client, user, advance } = await start()
    const { code } = await user.login()
    await code2Session(client, { code })
    await expect(code2Session(client, { code })).rejects.toMatchObject({ code: 'WECHAT_CODE_USED', details: { errcode: 40163 } })
    await expect(code2Session(client, { code: 'made-up' })).rejects.toMatchObject({
      code: 'WECHAT_INVALID_CODE',
      details: { errcode: 40029 },
    })
    const late = await user.login()
    advance(LOGIN_CODE_TTL_MS + 1)
    await expect(code2Session(client, { code: late.code })).rejects.toMatchObject({ code: 'WECHAT_INVALID_CODE' })
  })

  it('types a blocked user (40226) and the per-user minute limit (45011, retryable)', async () => {
    const { client, user, login, advance } = await start()
    for (let index = 0; index < LOGINS_PER_USER_PER_MINUTE; index += 1) await code2Session(client, { code: (await user.login()).code })
    await expect(code2Session(client, { code: (await user.login()).code })).rejects.toMatchObject({
      code: 'WECHAT_RATE_LIMITED',
      retryable: true,
      details: { errcode: 45011 },
    })
    advance(60_000)
    await code2Session(client, { code: (await user.login()).code })
    login.block(APP.appId, 'oUser1')
    await expect(code2Session(client, { code: (await user.login()).code })).rejects.toMatchObject({
      code: 'WECHAT_USER_BLOCKED',
      retryable: false,
      details: { errcode: 40226 },
    })
  })

  it('refuses an empty code before any request and a wrong secret without showing it', async () => {
    const { client, user, server } = await start()
    await expect(code2Session(client, { code: '' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    const wrong = createWeChatClient({ appId: APP.appId, appSecret: 'not-the-secret-xyz', apiBaseUrl: server.url })
    const error = await code2Session(wrong, { code: (await user.login()).code }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'WECHAT_INVALID_SECRET' })
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-secret-xyz')
  })
})
