import { createHash } from 'node:crypto'
import { PageModuleError, type Transport } from '@page-module/core'
import {
  createAccessTokenManager,
  createWeChatHttpTransport,
  WECHAT_API_BASE_URL,
  type AccessTokenManager,
  type AccessTokenProvider,
  type TokenStore,
} from '@page-module/wechat'

export interface WeChatApiOptions {
  /** The mini-program's AppID: calls go through WeChat's HTTP API (`tcb/invokecloudfunction`) with its access_token. */
  readonly appId?: string | undefined
  /** The AppSecret that goes with `appId`. */
  readonly appSecret?: string | undefined
  /** An access_token source you already have (`createAccessTokenManager`, `createRemoteTokenProvider`), instead of `appId` + `appSecret`. */
  readonly tokens?: AccessTokenProvider | undefined
  /** Use `/cgi-bin/stable_token`, whose tokens the business's other systems calling `/cgi-bin/token` cannot make stale. Default true. */
  readonly stable?: boolean | undefined
  /** Where tokens are shared between processes (`createFileTokenStore`, `createRedisTokenStore`). Default: this process's memory. */
  readonly store?: TokenStore | undefined
  /** Replaces `https://api.weixin.qq.com` (a fixed-egress proxy, the local emulator). */
  readonly apiBaseUrl?: string | undefined
}

interface Selection extends WeChatApiOptions {
  readonly env?: string | undefined
  readonly secretId?: string | undefined
  readonly secretKey?: string | undefined
  readonly accessKey?: string | undefined
  readonly cloud?: unknown
}

/** Whether the options ask for the WeChat HTTP API rather than CloudBase signed HTTP. */
export function wantsWeChatApi(options: Selection): boolean {
  return options.appId !== undefined || options.appSecret !== undefined || options.tokens !== undefined
}

/** The WeChat HTTP API transport for `new PageModule(id, { appId, appSecret, env })`, on the process's shared token manager. */
export function createWeChatApiTransport(options: Selection): Transport {
  const problem = (message: string) => new PageModuleError({ code: 'INVALID_OPTIONS', requestSent: false, message })
  if (options.secretId !== undefined || options.secretKey !== undefined || options.accessKey !== undefined || options.cloud !== undefined) {
    throw problem(
      'pass either secretId/secretKey (CloudBase signed HTTP), accessKey or cloud — or appId/appSecret or tokens (WeChat HTTP API), not both',
    )
  }
  if (options.tokens !== undefined && (options.appId !== undefined || options.appSecret !== undefined || options.store !== undefined)) {
    throw problem('pass tokens, or appId with appSecret (and store) — not both: tokens already knows its appid, secret and store')
  }
  if (options.tokens === undefined && (typeof options.appSecret !== 'string' || options.appSecret === '')) {
    throw problem(
      'appSecret is missing — pass appSecret with appId (开发管理 → 开发设置), or tokens from createAccessTokenManager / createRemoteTokenProvider',
    )
  }
  if (typeof options.env !== 'string' || options.env === '') {
    throw problem("env is missing — the WeChat HTTP API needs the CloudBase environment id, e.g. { appId, appSecret, env: 'my-env-1a2b' }")
  }
  const apiBaseUrl = (options.apiBaseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, '')
  const tokens =
    options.tokens ??
    sharedAccessTokenManager({
      appId: options.appId as string,
      appSecret: options.appSecret as string,
      apiBaseUrl,
      store: options.store,
      stable: options.stable ?? true,
    })
  return createWeChatHttpTransport({ tokens, env: options.env, apiBaseUrl })
}

interface ManagerKey {
  readonly appId: string
  readonly appSecret: string
  readonly apiBaseUrl: string
  readonly store: TokenStore | undefined
  readonly stable: boolean
}

// One manager per app, endpoint and store in the process: a manager per PageModule would fetch a token per instance.
const managersByStore = new WeakMap<TokenStore, Map<string, AccessTokenManager>>()
const managersInMemory = new Map<string, AccessTokenManager>()

function sharedAccessTokenManager({ appId, appSecret, apiBaseUrl, store, stable }: ManagerKey): AccessTokenManager {
  let managers = store === undefined ? managersInMemory : managersByStore.get(store)
  if (managers === undefined) {
    managers = new Map()
    managersByStore.set(store as TokenStore, managers)
  }
  // A digest, not the secret: a corrected secret gets a manager of its own, and no secret sits in a key.
  const key = [appId, apiBaseUrl, stable ? 'stable' : 'token', createHash('sha256').update(appSecret).digest('hex')].join('\n')
  let manager = managers.get(key)
  if (manager === undefined) {
    manager = createAccessTokenManager({ appId, appSecret, apiBaseUrl, stable, ...(store === undefined ? {} : { store }) })
    managers.set(key, manager)
  }
  return manager
}
