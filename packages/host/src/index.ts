export {
  defineModule,
  type MethodContext,
  type MethodsOf,
  type ModuleDefinition,
  type ModuleFunction,
  type ModuleMethod,
} from './module/define-module'
export { moduleAnswer } from './module/module-answer'
export type { HostProtection, OpenedCall } from './module/host-protection'
export { readWxContext, callerOf, type Caller, type WxContext, type Environment } from './module/caller-identity'
export { createWxServerSdkInvoker, type InvokeFunction } from './module/invoke-function'
export {
  createMemoryIdempotencyStore,
  type IdempotencyStore,
  type IdempotencyClaim,
  type MemoryIdempotencyStoreOptions,
  type MemoryIdempotencyStore,
} from './idempotency/memory-idempotency-store'
export {
  createCloudDatabaseIdempotencyStore,
  type CloudDatabaseIdempotencyStoreOptions,
  type IdempotencyDatabase,
} from './idempotency/cloud-database-idempotency-store'
export {
  createCustomApiRouter,
  type CustomApiRouterOptions,
  type CustomApiContext,
  type CustomApiImplementation,
} from './custom-api/create-custom-api-router'
export {
  customApiFunctionNameOf,
  isCustomApiName,
  notImplementedMessage,
  implementationFailedMessage,
  type CustomApiEvent,
  type CustomApiResult,
} from './custom-api/custom-api-contract'
