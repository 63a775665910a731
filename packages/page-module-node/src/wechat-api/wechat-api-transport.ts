import { createHash } from 'node:crypto'
import { PageModuleError, type Transport } from '@page-module/core'
import { envOfOption } from '@page-module/core/current-env'
import type { AccessTokenManager, AccessTokenProvider, FetchFunction, TokenStore } from '@page-module/wechat'

/** What both ways to the WeChat HTTP API take. */
interface WeChatApiCommonOptions {
  /**
   * The CloudBase environment id: required, WeChat's API names no default environment. `cloud.DYNAMIC_CURRENT_ENV`
   * stands for the env of the cloud function this runs in (refused outside one).
   */
  readonly env: string | symbol
  /** Replaces `https://api.weixin.qq.com` (a fixed-egress proxy, the local emulator). */
  readonly apiBaseUrl?: string | undefined
  /** Replaces the global `fetch` for every WeChat request (a proxy agent, a recording fetch in tests). */
  readonly fetch?: FetchFunction | undefined
  /** The clock tokens expire by (ms since the epoch). Default `Date.now`. */
  readonly now?: (() => number) | undefined
}

/** The mini-program's AppID and AppSecret: this process fetches, caches and refreshes the access_token. */
export interface WeChatAppOptions extends WeChatApiCommonOptions {
  /** The mini-program's AppID: calls go through WeChat's HTTP API (`tcb/invokecloudfunction`) with its access_token. */
  readonly appId: string
  /** The AppSecret that goes with `appId`. */
  readonly appSecret: string
  /** Use `/cgi-bin/stable_token`, whose tokens the business's other systems calling `/cgi-bin/token` cannot make stale. Default true. */
  readonly stable?: boolean | undefined
  /** Where tokens are shared between processes (`createFileTokenStore`, `createRedisTokenStore`). Default: this process's memory. */
  readonly store?: TokenStore | undefined
  readonly tokens?: undefined
}

/** An access_token source you already have (`createAccessTokenManager`, `createRemoteTokenProvider`). */
export interface WeChatTokensOptions extends WeChatApiCommonOptions {
  /** Knows its appid, secret and store: `appId`, `appSecret`, `stable` and `store` do not go with it. */
  readonly tokens: AccessTokenProvider
  readonly appId?: undefined
  readonly appSecret?: undefined
  readonly stable?: undefined
  readonly store?: undefined
}

/** The WeChat HTTP API: with `appId` + `appSecret`, or with `tokens`. */
export type WeChatApiOptions = WeChatAppOptions | WeChatTokensOptions

/** The keys that pick the WeChat HTTP API (besides the shared `env` and `now`). */
export const WECHAT_API_KEYS = ['appId', 'appSecret', 'tokens', 'stable', 'store', 'apiBaseUrl', 'fetch'] as const

/** The WeChat HTTP API transport for `new PageModule(id, { appId, appSecret, env })`, on the process's shared token manager. */
export function createWeChatApiTransport(options: WeChatApiOptions): Transport {
  const problem = (message: string) => new PageModuleError({ code: 'INVALID_OPTIONS', requestSent: false, message })
  const given = options as Partial<WeChatAppOptions & Omit<WeChatTokensOptions, keyof WeChatAppOptions>> & {
    readonly tokens?: AccessTokenProvider
  }
  if (given.tokens !== undefined) {
    const extra = (['appId', 'appSecret', 'stable', 'store'] as const).find((name) => given[name] !== undefined)
    if (extra !== undefined)
      throw problem(
        `pass tokens, or appId with appSecret (and store, stable) — not both: ` +
          `tokens already knows its appid, secret and store (got ${extra})`,
      )
  }
  if (given.tokens === undefined && (typeof given.appSecret !== 'string' || given.appSecret === '')) {
    throw problem(
      'appSecret is missing — pass appSecret with appId (开发管理 → 开发设置), ' +
        'or tokens from createAccessTokenManager / createRemoteTokenProvider',
    )
  }
  const env = envOfOption(options.env, process.env)
  if (typeof env !== 'string' || env === '') {
    throw problem("env is missing — the WeChat HTTP API needs the CloudBase environment id, e.g. { appId, appSecret, env: 'my-env-1a2b' }")
  }
  for (const name of ['fetch', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw problem(`${name} must be a function, got ${typeof options[name]}`)
  }
  let transport: Transport | undefined
  const transportOf = (wechat: WeChatToolkit): Transport => {
    const apiBaseUrl = (options.apiBaseUrl ?? wechat.WECHAT_API_BASE_URL).replace(/\/+$/, '')
    const tokens =
      given.tokens ??
      sharedAccessTokenManager(wechat, {
        appId: given.appId as string,
        appSecret: given.appSecret as string,
        apiBaseUrl,
        store: given.store,
        stable: given.stable ?? true,
        fetch: options.fetch,
        now: options.now,
      })
    return wechat.createWeChatHttpTransport({ tokens, env, apiBaseUrl, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) })
  }
  return {
    name: 'wechat-http',
    async send(request) {
      // Made on the first call that finds the toolkit; until then each call fails with an error of its own.
      if (transport === undefined) {
        const wechat = await loadWeChatToolkit()
        transport ??= transportOf(wechat)
      }
      return transport.send(request)
    },
  }
}

type WeChatToolkit = typeof import('@page-module/wechat')

/**
 * `@page-module/wechat` is an optional peer: only this way of calling needs it (tokens, the WeChat HTTP client), and
 * `npm install page-module` stays small for the signed-HTTP and in-function ways.
 */
async function loadWeChatToolkit(): Promise<WeChatToolkit> {
  try {
    return await import('@page-module/wechat')
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(error).includes("'@page-module/wechat'")) {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        requestSent: false,
        message:
          "appId/appSecret and tokens call through WeChat's HTTP API, which needs @page-module/wechat (tokens and the " +
          'WeChat client) — install it next to page-module: npm install @page-module/wechat',
      })
    }
    throw error
  }
}

interface ManagerKey {
  readonly appId: string
  readonly appSecret: string
  readonly apiBaseUrl: string
  readonly store: TokenStore | undefined
  readonly stable: boolean
  readonly fetch: FetchFunction | undefined
  readonly now: (() => number) | undefined
}

// One manager per app, endpoint, store, fetch and clock in the process: a manager per PageModule would fetch a token per instance.
const managersByStore = new WeakMap<TokenStore, Map<string, AccessTokenManager>>()
const managersInMemory = new Map<string, AccessTokenManager>()
const functionIds = new WeakMap<object, number>()
let lastFunctionId = 0

function sharedAccessTokenManager(
  wechat: WeChatToolkit,
  { appId, appSecret, apiBaseUrl, store, stable, fetch, now }: ManagerKey,
): AccessTokenManager {
  let managers = store === undefined ? managersInMemory : managersByStore.get(store)
  if (managers === undefined) {
    managers = new Map()
    managersByStore.set(store as TokenStore, managers)
  }
  // A digest, not the secret: a corrected secret gets a manager of its own, and no secret sits in a key.
  const key = [
    appId,
    apiBaseUrl,
    stable ? 'stable' : 'token',
    createHash('sha256').update(appSecret).digest('hex'),
    idOf(fetch),
    idOf(now),
  ].join('\n')
  let manager = managers.get(key)
  if (manager === undefined) {
    manager = wechat.createAccessTokenManager({
      appId,
      appSecret,
      apiBaseUrl,
      stable,
      ...(store === undefined ? {} : { store }),
      ...(fetch === undefined ? {} : { fetch }),
      ...(now === undefined ? {} : { now }),
    })
    managers.set(key, manager)
  }
  return manager
}

function idOf(value: object | undefined): string {
  if (value === undefined) return 'default'
  let id = functionIds.get(value)
  if (id === undefined) functionIds.set(value, (id = ++lastFunctionId))
  return String(id)
}
