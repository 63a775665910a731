import { randomBytes } from 'node:crypto'
import { createWeChatApiEmulator, type WeChatApiEmulator } from './wechat-api-emulator'
import type { Emulator } from '../start-emulator'
import { mountMiniProgramLogin, type MiniProgramLogin } from './auth/mini-program-login'
import { mountWebAuthorization, type WebAuthorization } from './oauth/web-authorization'
import { serveStorageApis } from './storage/storage-apis'
import { mountDatabaseHttpApi } from './database/database-http-api'

export interface WeChatApiMountOptions {
  /** The mini-program's AppID callers fetch tokens for. Default: generated for this run (`wxlocal…`). */
  readonly appId?: string
  /** Its AppSecret. Default: generated for this run. */
  readonly appSecret?: string
}

export interface MountedWeChatApi {
  /** WeChat's endpoints, served at the emulator's url: pass `apiBaseUrl: emulator.url`. */
  readonly apiBaseUrl: string
  readonly appId: string
  readonly appSecret: string
  /** The WeChat side, for tests: `counters`, `revokeTokens(appId)`, `checkToken(token)`. */
  readonly wechat: WeChatApiEmulator
  /** `sns/jscode2session` and the bridge's `wx.login()` / `wx.getUserProfile()` (auth/). */
  readonly miniProgramLogin: MiniProgramLogin
  /** Official Account web authorization: `/connect/oauth2/authorize` and `sns/oauth2/*`, `sns/userinfo`, `sns/auth` (oauth/). */
  readonly webAuthorization: WebAuthorization
}

/**
 * Serves WeChat's `/cgi-bin/token`, `/cgi-bin/stable_token`, `/tcb/invokecloudfunction`, the storage APIs
 * (`/tcb/uploadfile`, `/tcb/batchdownloadfile`, `/tcb/batchdeletefile`), `/tcb/database*`, login and web authorization
 * on the emulator, with WeChat's token rules; `tcb/invokecloudfunction` runs the emulator's functions as the app
 * (no openid), as WeChat does.
 */
export function mountWeChatApi(
  emulator: Pick<Emulator, 'url' | 'env' | 'invokeFunction' | 'mount' | 'storage' | 'database' | 'logRefusal'>,
  options: WeChatApiMountOptions = {},
): MountedWeChatApi {
  if ((options.appId === undefined) !== (options.appSecret === undefined)) throw new Error('give both appId and appSecret, or neither')
  const appId = options.appId ?? `wxlocal${randomBytes(6).toString('hex')}`
  const appSecret = options.appSecret ?? randomBytes(16).toString('hex')
  const wechat = createWeChatApiEmulator({
    apps: [{ appId, appSecret }],
    refused: emulator.logRefusal,
    async invokeFunction(name, event, { appId: appid, env }) {
      if (env !== emulator.env) throw functionNotFound(`no env ${env} here (this emulator serves env ${emulator.env})`)
      const outcome = await emulator.invokeFunction(name, event, { appid, source: 'wx_http' })
      if (outcome.ok) return outcome.result
      if (outcome.reason === 'not-found') throw functionNotFound(outcome.message)
      throw new Error(outcome.message)
    },
  })
  serveStorageApis(wechat, emulator.storage)
  emulator.mount(wechat)
  const miniProgramLogin = mountMiniProgramLogin(wechat)
  const webAuthorization = mountWebAuthorization(wechat)
  mountDatabaseHttpApi(wechat, { env: emulator.env, database: emulator.database })
  return { apiBaseUrl: emulator.url, appId, appSecret, wechat, miniProgramLogin, webAuthorization }
}

function functionNotFound(message: string): Error {
  return Object.assign(new Error(message), { code: 'FUNCTION_NOT_FOUND' })
}
