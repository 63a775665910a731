import { randomBytes } from 'node:crypto'
import { createWeChatApiEmulator, type WeChatApiEmulator } from './wechat-api-emulator'
import type { Emulator } from '../start-emulator'
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
}

/**
 * Serves WeChat's `/cgi-bin/token`, `/cgi-bin/stable_token` and `/tcb/invokecloudfunction` on the emulator, with
 * WeChat's token rules; `tcb/invokecloudfunction` runs the emulator's functions as the app (no openid), as WeChat does.
 * With the emulator's document database, `/tcb/database*` too.
 */
export function mountWeChatApi(
  emulator: Pick<Emulator, 'url' | 'env' | 'invokeFunction' | 'mount'> & Partial<Pick<Emulator, 'database'>>,
  options: WeChatApiMountOptions = {},
): MountedWeChatApi {
  if ((options.appId === undefined) !== (options.appSecret === undefined)) throw new Error('give both appId and appSecret, or neither')
  const appId = options.appId ?? `wxlocal${randomBytes(6).toString('hex')}`
  const appSecret = options.appSecret ?? randomBytes(16).toString('hex')
  const wechat = createWeChatApiEmulator({
    apps: [{ appId, appSecret }],
    async invokeFunction(name, event, { appId: appid, env }) {
      if (env !== emulator.env) throw functionNotFound(`no env ${env} here (this emulator serves env ${emulator.env})`)
      const outcome = await emulator.invokeFunction(name, event, { appid })
      if (outcome.ok) return outcome.result
      if (outcome.reason === 'not-found') throw functionNotFound(outcome.message)
      throw new Error(outcome.message)
    },
  })
  emulator.mount(wechat)
  if (emulator.database) mountDatabaseHttpApi(wechat, { env: emulator.env, database: emulator.database })
  return { apiBaseUrl: emulator.url, appId, appSecret, wechat }
}

function functionNotFound(message: string): Error {
  return Object.assign(new Error(message), { code: 'FUNCTION_NOT_FOUND' })
}
