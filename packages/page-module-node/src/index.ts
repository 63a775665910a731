export * from '@page-module/core'
export {
  PageModule,
  type PageModuleOptions,
  type CallSettings,
  type CloudBaseHttpPageModuleOptions,
  type WxServerSdkPageModuleOptions,
  type WeChatAppPageModuleOptions,
  type WeChatTokensPageModuleOptions,
  type CustomTransportPageModuleOptions,
} from './page-module'
export { createCloudBaseTransport, type CloudBaseTransportOptions } from './cloudbase/cloudbase-transport'
export type { NodeHttpAgent } from './cloudbase/cloudbase-transport-options'
export type { WeChatApiOptions, WeChatAppOptions, WeChatTokensOptions } from './wechat-api/wechat-api-transport'
export {
  createWxServerSdkTransport,
  type WxServerSdkCloud,
  type WxCallFunctionResult,
  type WxServerSdkTransportOptions,
} from './cloud-function/wx-server-sdk-transport'
export {
  signCloudBaseRequest,
  signCanonicalRequest,
  type SignCloudBaseRequestInput,
  type SignCanonicalRequestInput,
  type CloudBaseSignature,
  type SignableValue,
} from './cloudbase/sign-request'
export { buildInvokeRequest, type InvokeRequest, type InvokeRequestInput } from './cloudbase/invoke-request'
export { readInvokeAnswer } from './cloudbase/cloudbase-answer'
export type { CloudBaseCredentials } from './cloudbase/credentials'
export type { Environment } from './cloudbase/cloud-context'
export type { DebugLogger } from './debug-log'
export { VERSION as NODE_VERSION } from './version'
