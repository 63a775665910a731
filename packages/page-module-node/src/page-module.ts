import {
  PageModule as CorePageModule,
  type MethodMap,
  type MethodMapOf,
  type PageModuleOptions as CorePageModuleOptions,
  type Transport,
} from '@page-module/core'
import { createCloudBaseTransport, type CloudBaseTransportOptions } from './cloudbase/cloudbase-transport'
import type { CLOUDBASE_HTTP_KEYS } from './cloudbase/cloudbase-transport-options'
import { chooseTransport, type NodeSdkOnlyOption } from './transport-choice'
import { VERSION } from './version'
import {
  createWeChatApiTransport,
  type WECHAT_API_KEYS,
  type WeChatAppOptions,
  type WeChatApiOptions,
  type WeChatTokensOptions,
} from './wechat-api/wechat-api-transport'
import { createWxServerSdkTransport, type WxServerSdkCloud } from './cloud-function/wx-server-sdk-transport'

/**
 * Core's call settings (`timeout`, `retries`, `middleware`, `now` …), the same whatever the transport; options of
 * `@cloudbase/node-sdk`'s `init` PageModule does not take (`proxy`, `keepalive` …) are refused.
 */
export type CallSettings = Omit<CorePageModuleOptions, 'transport' | 'client'> & Excluded<NodeSdkOnlyOption>

type CloudBaseHttpKey = (typeof CLOUDBASE_HTTP_KEYS)[number]
type WeChatApiKey = (typeof WECHAT_API_KEYS)[number]
/** Keys of another transport: present, they are refused (`INVALID_OPTIONS` naming both keys). */
type Excluded<Keys extends PropertyKey> = { readonly [Key in Keys]?: undefined }

/**
 * CloudBase signed HTTP, the default: `{ secretId, secretKey, env }`, an API key in `accessKey`, or no keys at all
 * to use the environment's (`TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN`, a cloud function's own, then `CLOUDBASE_APIKEY`).
 */
export interface CloudBaseHttpPageModuleOptions
  extends CallSettings, CloudBaseTransportOptions, Excluded<WeChatApiKey | 'cloud' | 'transport'> {}

/** Inside a cloud function that already uses wx-server-sdk: calls go through its `cloud.callFunction`. */
export interface WxServerSdkPageModuleOptions extends CallSettings, Excluded<CloudBaseHttpKey | WeChatApiKey | 'transport'> {
  /** wx-server-sdk's `cloud` (after `cloud.init()`). */
  readonly cloud: WxServerSdkCloud
  /** Calls functions of another env than the one `cloud.init` chose (`cloud.DYNAMIC_CURRENT_ENV`: this function's own). */
  readonly env?: string | symbol | undefined
}

/** WeChat's HTTP API (`tcb/invokecloudfunction`) with the mini-program's `appId` + `appSecret`. */
export interface WeChatAppPageModuleOptions extends CallSettings, WeChatAppOptions, Excluded<CloudBaseHttpKey | 'cloud' | 'transport'> {}

/** WeChat's HTTP API with an access_token source you already have (`tokens`). */
export interface WeChatTokensPageModuleOptions
  extends CallSettings, WeChatTokensOptions, Excluded<CloudBaseHttpKey | 'cloud' | 'transport'> {}

/** A transport of your own (tests, another channel); no other transport's keys. */
export interface CustomTransportPageModuleOptions extends CallSettings, Excluded<CloudBaseHttpKey | WeChatApiKey | 'cloud' | 'env'> {
  readonly transport: Transport
}

/**
 * `new PageModule(id, options)`: one transport, picked by its own keys. A key of another transport is refused
 * with `INVALID_OPTIONS` naming both keys, never silently ignored.
 */
export type PageModuleOptions =
  | CloudBaseHttpPageModuleOptions
  | WxServerSdkPageModuleOptions
  | WeChatAppPageModuleOptions
  | WeChatTokensPageModuleOptions
  | CustomTransportPageModuleOptions

/**
 * A page module called from Node: `new PageModule('tcb:SignUp', { secretId, secretKey, env })`. With no keys it
 * reads `TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN` (a cloud function's own), then `CLOUDBASE_APIKEY`.
 * With `{ cloud }` it calls through wx-server-sdk; with `{ appId, appSecret, env }` (or `tokens`) through WeChat's
 * HTTP API with the app's access_token.
 */
export class PageModule<Methods extends MethodMapOf<Methods> = MethodMap> extends CorePageModule<Methods> {
  constructor(id: string, options: PageModuleOptions = {}) {
    super(id, { ...options, transport: transportOf(options), client: { name: '@page-module/node', version: VERSION } })
  }
}

function transportOf(options: PageModuleOptions): Transport {
  const given = (typeof options === 'object' && options !== null ? options : {}) as Readonly<Record<string, unknown>>
  switch (chooseTransport(given)) {
    case 'custom':
      return (options as CustomTransportPageModuleOptions).transport
    case 'wechat-api':
      return createWeChatApiTransport(options as WeChatApiOptions)
    case 'wx-server-sdk': {
      const { cloud, env } = options as WxServerSdkPageModuleOptions
      return createWxServerSdkTransport(cloud, { env })
    }
    case 'cloudbase':
      return createCloudBaseTransport(options as CloudBaseTransportOptions)
  }
}
