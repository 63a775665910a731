export { defineModule, type MethodContext, type MethodsOf, type ModuleDefinition, type ModuleFunction, type ModuleMethod } from './host/define-module'
export { moduleAnswer } from './host/module-answer'
export { readWxContext, callerOf, type Caller, type WxContext, type Environment } from './host/caller-identity'
export { createMemoryIdempotencyStore, type IdempotencyStore, type IdempotencyClaim, type MemoryIdempotencyStoreOptions } from './host/idempotency-store'
export { createWxServerSdkInvoker, type InvokeFunction } from './host/invoke-function'
export { createCustomApiRouter, type CustomApiRouterOptions, type CustomApiContext, type CustomApiImplementation } from './custom-api/create-custom-api-router'
export {
  customApiFunctionNameOf,
  isCustomApiName,
  notImplementedMessage,
  implementationFailedMessage,
  type CustomApiEvent,
  type CustomApiResult,
} from './custom-api/custom-api-contract'
export { scaffoldCustomApi, type ScaffoldCustomApiOptions } from './scaffold/scaffold-custom-api'
