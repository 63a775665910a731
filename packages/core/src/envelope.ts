import { RESERVED_MODULE_CODES } from './error-codes'
import { assertJsonSafeWithin, MAX_PAYLOAD_BYTES_LIMIT } from './json-safety'
import { assertMethodName } from './method-name'
import { parseModuleId } from './module-id'
import { PageModuleError } from './page-module-error'

/** The protocol tag every envelope carries; the host refuses any other. */
export const PROTOCOL = 'page-module/1'

/** Who made the call: the client package and its version. */
export interface ClientInfo {
  readonly name: string
  readonly version: string
}

/** The event a module's cloud function receives for one `callMethod`. */
export interface CallEnvelope<Data = unknown> {
  readonly protocol: typeof PROTOCOL
  readonly module: string
  readonly method: string
  /** Unique per call, the same for each retry of it. */
  readonly requestId: string
  /** Present when the caller allowed the host to dedupe retries of this call. */
  readonly idempotencyKey?: string
  readonly client: ClientInfo
  /** Milliseconds since the epoch, when the call was made. */
  readonly timestamp: number
  readonly data?: Data
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/

/** Validates an idempotency key: 1–128 printable ASCII characters, no spaces. */
export function assertIdempotencyKey(key: unknown): string {
  if (typeof key === 'string' && IDEMPOTENCY_KEY.test(key)) return key
  throw new PageModuleError({
    code: 'INVALID_OPTIONS',
    message: 'idempotencyKey must be 1–128 printable ASCII characters without spaces (or `true` to let PageModule make one)',
  })
}

/**
 * Parses what a module's cloud function received. Throws `PageModuleError` with `moduleCode` -3
 * (`INVALID_REQUEST`) or -5 (`UNSUPPORTED_PROTOCOL`), ready to be answered to the caller.
 */
export function parseEnvelope(event: unknown, maxBytes: number = MAX_PAYLOAD_BYTES_LIMIT): CallEnvelope {
  try {
    return parseEvent(event, maxBytes)
  } catch (thrown) {
    if (PageModuleError.isInstance(thrown)) throw thrown
    // Only an object with a throwing getter or Proxy trap gets here; JSON never makes one.
    throw invalid(`the event cannot be read (${thrown instanceof Error ? thrown.message : String(thrown)})`, thrown)
  }
}

function parseEvent(event: unknown, maxBytes: number): CallEnvelope {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw invalid('the event is not an object — call this function through PageModule callMethod')
  }
  const record = event as Record<string, unknown>
  if (typeof record.protocol !== 'string' || record.protocol.indexOf('page-module/') !== 0) {
    throw invalid('the event is not a PageModule envelope (no `protocol` field) — call this function through PageModule callMethod')
  }
  if (record.protocol !== PROTOCOL) {
    throw new PageModuleError({
      code: 'UNSUPPORTED_PROTOCOL',
      moduleCode: RESERVED_MODULE_CODES.UNSUPPORTED_PROTOCOL,
      message:
        `the envelope speaks ${record.protocol}, this module speaks ${PROTOCOL} — ` +
        'use client and server packages of the same major version',
    })
  }
  const module = stringField(record, 'module')
  const method = stringField(record, 'method')
  const requestId = stringField(record, 'requestId')
  const timestamp = record.timestamp
  if (typeof timestamp !== 'number') throw invalid('`timestamp` must be a number')
  const client = record.client as Record<string, unknown> | undefined
  if (typeof client !== 'object' || client === null || typeof client.name !== 'string' || typeof client.version !== 'string') {
    throw invalid('`client` must be { name: string, version: string }')
  }
  try {
    parseModuleId(module)
    assertMethodName(method)
    if (record.idempotencyKey !== undefined) assertIdempotencyKey(record.idempotencyKey)
    assertJsonSafeWithin(record.data, maxBytes)
  } catch (error) {
    throw invalid((error as Error).message, error, { module, method, requestId })
  }
  if (!isFinite(timestamp) || requestId.length === 0 || requestId.length > 128) {
    throw invalid('`requestId` must be 1–128 characters and `timestamp` a finite number', undefined, { module, method, requestId })
  }
  const envelope: CallEnvelope = {
    protocol: PROTOCOL,
    module,
    method,
    requestId,
    client: { name: client.name, version: client.version },
    timestamp,
  }
  return withOptional(envelope, record.idempotencyKey as string | undefined, record.data)
}

/** Builds an envelope; the caller has validated every part. */
export function createEnvelope(parts: Omit<CallEnvelope, 'protocol'>): CallEnvelope {
  const envelope: CallEnvelope = {
    protocol: PROTOCOL,
    module: parts.module,
    method: parts.method,
    requestId: parts.requestId,
    client: parts.client,
    timestamp: parts.timestamp,
  }
  return withOptional(envelope, parts.idempotencyKey, parts.data)
}

// Adds the optional fields in place, after the others (their place in the JSON): a spread would copy the object twice.
function withOptional(envelope: CallEnvelope, idempotencyKey: string | undefined, data: unknown): CallEnvelope {
  const result = envelope as { -readonly [Key in keyof CallEnvelope]: CallEnvelope[Key] }
  if (idempotencyKey !== undefined) result.idempotencyKey = idempotencyKey
  if (data !== undefined) result.data = data
  return result
}

function stringField(record: Record<string, unknown>, name: string): string {
  const value = record[name]
  if (typeof value !== 'string') throw invalid(`\`${name}\` must be a string`)
  return value
}

function invalid(
  message: string,
  cause?: unknown,
  context: { module?: string; method?: string; requestId?: string } = {},
): PageModuleError {
  return new PageModuleError({ code: 'INVALID_REQUEST', moduleCode: RESERVED_MODULE_CODES.INVALID_REQUEST, message, cause, ...context })
}
