export { startEmulator, type Emulator, type EmulatorOptions } from './start-emulator'
export type { EmulatorHandler, CallerIdentity, EmulatedInvocation, InvokeEmulatedFunction } from './emulator-types'
export type { InvocationOutcome } from './cloudbase/functions/function-pool'
export type { EmulatorLog } from './call-log'
export { WX_CLOUD_CALL_FUNCTION_PATH } from '../wx-cloud-bridge/bridge-route'
export type { AdminAction, AdminActionRequest } from './cloudbase/admin/admin-handler'
export { SIGNATURE_WINDOW_SECONDS } from './cloudbase/admin/verify-signature'
export { DEFAULT_FUNCTION_TIMEOUT_SECONDS } from './cloudbase/functions/function-folder'
export { mountWeChatApi, type MountedWeChatApi, type WeChatApiMountOptions } from './wechat/mount-wechat-api'
export {
  createWeChatApiEmulator,
  type WeChatApiEmulator,
  type WeChatApiEmulatorOptions,
  type WeChatApiEmulatorCounters,
  type EmulatedApp,
  type InvokeFunction,
  type TokenEndpoint,
} from './wechat/wechat-api-emulator'
export { mountMiniProgramLogin, LOGIN_CODE_TTL_MS, type MiniProgramLogin, type EmulatedUserProfile } from './wechat/auth/mini-program-login'
export {
  mountWebAuthorization,
  type WebAuthorization,
  type WebAuthorizationOptions,
  type EmulatedWebUser,
} from './wechat/oauth/web-authorization'
export { createPushSimulator, type PushSimulator, type PushSimulatorOptions, type PushOutcome } from './wechat/push/push-simulator'
export type {
  DocumentDatabase,
  FindOptions,
  MongoObject,
  StoredRecord,
  WriteOutcome,
  CollectionSummary,
} from './database/document-database'
export { mountOpenApi, type MountedOpenApi, type OpenApiMountOptions } from './wechat/openapi/mount-open-api'
export type { OpenApiService, OpenApiServiceOptions, SentMessage } from './wechat/openapi/open-api-service'
export type { MessagePush, MessagePushRoute, PushedMessage } from './wechat/message-push/message-push'
export type { OpenDataStore } from './cloudbase/openapi/open-data-store'
