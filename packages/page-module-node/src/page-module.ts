import { PageModule as CorePageModule, type MethodMap, type MethodMapOf, type PageModuleOptions as CorePageModuleOptions, type Transport } from '@page-module/core'
import { createCloudBaseTransport, type CloudBaseTransportOptions } from './cloudbase-transport'
import { VERSION } from './version'
import { createWxServerSdkTransport, type WxServerSdkCloud } from './wx-server-sdk-transport'

export interface PageModuleOptions extends Omit<CorePageModuleOptions, 'transport' | 'client'>, CloudBaseTransportOptions {
  /** Replaces the CloudBase HTTP transport (tests, the WeChat HTTP API transport of @page-module/wechat). */
  readonly transport?: Transport | undefined
  /** wx-server-sdk's `cloud` (after `cloud.init()`): calls go through `cloud.callFunction` instead of signed HTTP. */
  readonly cloud?: WxServerSdkCloud | undefined
}

/**
 * A page module called from Node: `new PageModule('tcb:SignUp', { secretId, secretKey, env })`. With no keys it
 * reads `TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN` (a cloud function's own), then `CLOUDBASE_APIKEY`.
 */
export class PageModule<Methods extends MethodMapOf<Methods> = MethodMap> extends CorePageModule<Methods> {
  constructor(id: string, options: PageModuleOptions = {}) {
    super(id, { ...options, transport: transportOf(options), client: { name: '@page-module/node', version: VERSION } })
  }
}

function transportOf(options: PageModuleOptions): Transport {
  if (options.transport !== undefined) return options.transport
  if (options.cloud !== undefined) return createWxServerSdkTransport(options.cloud, { env: options.env })
  return createCloudBaseTransport(options)
}
