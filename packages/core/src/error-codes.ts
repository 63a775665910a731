/**
 * Codes a module answers with in `{ code, msg }`. `-1` to `-99` are reserved for PageModule itself;
 * modules use positive codes for their own business answers. One table, documented in docs/protocol.md.
 */
export const RESERVED_MODULE_CODES = {
  /** A custom interface the module called is not implemented by the business yet. */
  NOT_IMPLEMENTED: -1,
  /** The method, or the custom interface behind it, threw. */
  IMPLEMENTATION_FAILED: -2,
  /** The host refused the request envelope (missing fields, bad types, unsafe data). */
  INVALID_REQUEST: -3,
  /** The module has no open method of that name. */
  METHOD_NOT_FOUND: -4,
  /** The envelope speaks a protocol version the host does not know. */
  UNSUPPORTED_PROTOCOL: -5,
  /** A call with the same idempotency key is still running on the host; try again shortly. */
  REQUEST_IN_PROGRESS: -6,
  /** A custom interface was called directly (from a mini-program), not by the module's function. */
  FORBIDDEN_CALLER: -7,
  /** The module requires protected calls (e.g. 国密 SM2/SM3/SM4) and this call's data was not protected. */
  PROTECTION_REQUIRED: -8,
  /** The protected data could not be opened or trusted (wrong key, tampered, replayed or stale); nothing ran. */
  PROTECTION_FAILED: -9,
} as const

export type ReservedModuleCodeName = keyof typeof RESERVED_MODULE_CODES

/** Every code PageModule itself produces. Adapters and modules may add their own (the union is open). */
export type KnownErrorCode =
  | ReservedModuleCodeName
  /** The module answered with its own (non-zero, non-reserved) code: see `moduleCode`. */
  | 'MODULE_ERROR'
  // bad input, refused before anything is sent
  | 'INVALID_MODULE_ID'
  | 'INVALID_METHOD'
  | 'INVALID_OPTIONS'
  | 'DATA_CYCLIC'
  | 'DATA_FUNCTION'
  | 'DATA_SYMBOL'
  | 'DATA_BIGINT'
  | 'DATA_NOT_FINITE'
  | 'DATA_NOT_PLAIN'
  | 'DATA_FORBIDDEN_KEY'
  | 'DATA_TOO_DEEP'
  | 'DATA_TOO_LARGE'
  // the call did not complete
  | 'TIMEOUT'
  | 'ABORTED'
  | 'NETWORK'
  | 'BAD_RESPONSE'
  /** The answer was longer than the transport's `maxResponseBytes` (the function ran). */
  | 'RESPONSE_TOO_LARGE'
  | 'HTTP_ERROR'
  | 'FUNCTION_NOT_FOUND'
  | 'FUNCTION_FAILED'
  | 'INVALID_ENV'
  | 'AUTH_FAILED'
  | 'MISSING_CREDENTIALS'
  | 'CLOUDBASE_ERROR'
  | 'WX_CLOUD_ERROR'
  | 'UNSUPPORTED_RUNTIME'
  | 'TRANSPORT_FAILED'

/** A string code; known codes autocomplete, others are allowed. */
export type PageModuleErrorCode = KnownErrorCode | (string & {})

const namesByNumber: Record<string, ReservedModuleCodeName> = {}
for (const name of Object.keys(RESERVED_MODULE_CODES) as ReservedModuleCodeName[]) {
  namesByNumber[String(RESERVED_MODULE_CODES[name])] = name
}

/** The string code for a module's numeric answer: a reserved name, or `MODULE_ERROR`. */
export function codeForModuleAnswer(moduleCode: number): KnownErrorCode {
  return namesByNumber[String(moduleCode)] ?? 'MODULE_ERROR'
}
