export { PageModule, type PageModuleOptions } from './page-module'
export {
  PageModuleError,
  isPageModuleError,
  type PageModuleErrorInit,
  type PageModuleErrorOverrides,
  type ErrorDetails,
} from './page-module-error'
export { redactSecrets, REDACTED } from './redact-secrets'
export {
  RESERVED_MODULE_CODES,
  codeForModuleAnswer,
  type KnownErrorCode,
  type PageModuleErrorCode,
  type ReservedModuleCodeName,
} from './error-codes'
export { parseModuleId, functionNameOf, assertFunctionName, type ModuleId } from './module-id'
export { assertMethodName } from './method-name'
export { PROTOCOL, createEnvelope, parseEnvelope, assertIdempotencyKey, type CallEnvelope, type ClientInfo } from './envelope'
export { isModuleResponse, settleResponse, type ModuleResponse, type SettleContext } from './response'
export {
  assertJsonSafe,
  utf8Length,
  DEFAULT_MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_BYTES_LIMIT,
  MAX_DATA_DEPTH,
  type JsonSafetyContext,
} from './json-safety'
export { DEFAULT_TIMEOUT, DEFAULT_RETRIES, MAX_TIMEOUT, MAX_RETRIES } from './call-settings'
export { createCancellation, type AbortSignalLike, type Cancellation } from './abort-signal'
export { composeLayers, type Middleware, type CallMiddleware, type AttemptMiddleware, type CallRequest } from './middleware'
export type { Transport, TransportRequest, TransportResponse } from './transport'
export type { CallProtection, ProtectedCall, SealedCall } from './protection'
export type { MethodSpec, MethodMap, MethodMapOf, MethodName, MethodInput, MethodOutput, CallOptions, CallArguments } from './method-map'
export { VERSION } from './version'
