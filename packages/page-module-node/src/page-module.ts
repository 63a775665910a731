import {
  PageModule as CorePageModule,
  type MethodMap,
  type MethodMapOf,
  type PageModuleOptions as CorePageModuleOptions,
  type Transport,
} from '@page-module/core'
import { createCloudBaseTransport, type CloudBaseTransportOptions } from './cloudbase/cloudbase-transport'
import { VERSION } from './version'
import { createWeChatApiTransport, wantsWeChatApi, type WeChatApiOptions } from './wechat-api/wechat-api-transport'
import { createWxServerSdkTransport, type WxServerSdkCloud } from './cloud-function/wx-server-sdk-transport'

export interface PageModuleOptions
  extends Omit<CorePageModuleOptions, 'transport' | 'client'>, CloudBaseTransportOptions, WeChatApiOptions {
  /** Replaces the CloudBase HTTP transport (tests, a transport of your own). */
  readonly transport?: Transport | undefined
  /** wx-server-sdk's `cloud` (after `cloud.init()`): calls go through `cloud.callFunction` instead of signed HTTP. */
  readonly cloud?: WxServerSdkCloud | undefined
}

/**
 * A page module called from Node: `new PageModule('tcb:SignUp', { secretId, secretKey, env })`. With no keys it
 * reads `TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN` (a cloud function's own), then `CLOUDBASE_APIKEY`.
 * With `{ appId, appSecret, env }` (or `tokens`) it calls through WeChat's HTTP API with the app's access_token.
 */
export class PageModule<Methods extends MethodMapOf<Methods> = MethodMap> extends CorePageModule<Methods> {
  constructor(id: string, options: PageModuleOptions = {}) {
    super(id, { ...options, transport: transportOf(options), client: { name: '@page-module/node', version: VERSION } })
  }
}

function transportOf(options: PageModuleOptions): Transport {
  if (options.transport !== undefined) return options.transport
  if (wantsWeChatApi(options)) return createWeChatApiTransport(options)
  if (options.cloud !== undefined) return createWxServerSdkTransport(options.cloud, { env: options.env })
  return createCloudBaseTransport(options)
}
