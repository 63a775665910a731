import type { PageModuleErrorCode } from './error-codes'
import { redactSecrets } from './redact-secrets'

/** Codes of bad input, raised before anything leaves (not a host's `INVALID_REQUEST`, nor CloudBase's `INVALID_ENV`). */
const NEVER_SENT_CODE = /^(INVALID_(MODULE_ID|METHOD|OPTIONS)|DATA_[A-Z_]+|MISSING_CREDENTIALS|UNSUPPORTED_RUNTIME)$/

const marker: unique symbol = Symbol.for('page-module.error') as never

/** Structured, JSON-safe facts about an error (a path, a limit, a status). Never secrets. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>

export interface PageModuleErrorInit {
  code: PageModuleErrorCode
  /** What happened — what to do. The `[module.method] requestId:` prefix is added for you. */
  message: string
  /** The numeric code the module answered with, when it answered. */
  moduleCode?: number | undefined
  /** The call's id (our envelope's `requestId`). */
  requestId?: string | undefined
  /** The platform's id for the invocation (wx `requestID`, CloudBase `requestId`), for support tickets. */
  cloudRequestId?: string | undefined
  module?: string | undefined
  method?: string | undefined
  /**
   * A transient failure: trying again later may succeed. Whether a retry is also SAFE (the method runs at most
   * once) is `requestSent === false`, or an idempotency key on the call.
   */
  retryable?: boolean | undefined
  /**
   * Whether the request left this process: `false` when nothing was sent (a retry is safe), `true` when it was,
   * undefined when it may have been (a timeout or a dropped connection while sending). Codes of bad input
   * (`INVALID_MODULE_ID`, `INVALID_METHOD`, `INVALID_OPTIONS`, `DATA_*`, `MISSING_CREDENTIALS`,
   * `UNSUPPORTED_RUNTIME`) are raised before sending: `false` unless given.
   */
  requestSent?: boolean | undefined
  details?: ErrorDetails | undefined
  cause?: unknown
}

/** What `PageModuleError.from` changes: any field of the error, and the secrets to remove from it. */
export interface PageModuleErrorOverrides extends Partial<PageModuleErrorInit> {
  /** Removed from the message and from every string in `details` (see `redactSecrets`). */
  readonly secrets?: ReadonlyArray<string | undefined> | undefined
}

/** The one error PageModule throws: bad input, a failed transport, or a module that answered `code !== 0`. */
export class PageModuleError extends Error {
  declare readonly [marker]: true
  readonly code: PageModuleErrorCode
  readonly moduleCode: number | undefined
  readonly requestId: string | undefined
  readonly cloudRequestId: string | undefined
  readonly module: string | undefined
  readonly method: string | undefined
  readonly retryable: boolean
  readonly requestSent: boolean | undefined
  readonly details: ErrorDetails | undefined
  declare readonly cause?: unknown

  constructor(init: PageModuleErrorInit) {
    super(prefixOf(init) + init.message)
    Object.defineProperty(this, marker, { value: true })
    this.code = init.code
    this.moduleCode = init.moduleCode
    this.requestId = init.requestId
    this.cloudRequestId = init.cloudRequestId
    this.module = init.module
    this.method = init.method
    this.retryable = init.retryable ?? false
    this.requestSent = init.requestSent ?? (NEVER_SENT_CODE.test(init.code) ? false : undefined)
    this.details = init.details
    // Older engines (and the mini-program's) ignore `super(message, { cause })`.
    if (init.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: init.cause, writable: true, configurable: true })
    }
  }

  /** True for any PageModuleError, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is PageModuleError {
    return typeof value === 'object' && value !== null && (value as { [marker]?: unknown })[marker] === true
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return PageModuleError.isInstance(value)
  }

  /**
   * The one way to amend an error: `error` with `overrides` applied (a key present in `overrides` wins, even when
   * undefined) and `secrets` removed from its message and details. The message is given without its
   * `[module.method] requestId:` prefix, which is rebuilt from the result. Anything else than a PageModuleError
   * becomes one (`TRANSPORT_FAILED` unless `overrides.code` says otherwise) with it as `cause`. A PageModuleError
   * that nothing changes is returned as it is.
   */
  static from(error: unknown, overrides: PageModuleErrorOverrides = {}): PageModuleError {
    const secrets = overrides.secrets ?? []
    const init: PageModuleErrorInit = PageModuleError.isInstance(error)
      ? Object.assign(fieldsOf(error), { message: error.message.slice(prefixOf(error).length) })
      : { code: 'TRANSPORT_FAILED', message: error instanceof Error ? error.message : String(error), cause: error }
    let changed = !PageModuleError.isInstance(error)
    for (const key of Object.keys(overrides) as Array<keyof PageModuleErrorOverrides>) {
      if (key === 'secrets') continue
      const value = overrides[key]
      if (init[key] !== value) changed = true
      ;(init as unknown as Record<string, unknown>)[key] = value
    }
    const message = redactSecrets(init.message, secrets)
    const details = init.details === undefined ? undefined : redactDetails(init.details, secrets)
    if (message !== init.message || details !== init.details) changed = true
    if (!changed) return error as PageModuleError
    return new PageModuleError(Object.assign(init, { message, details }))
  }

  /** A plain object for logs. Carries no `cause` payload (a lower layer's message may hold a secret), only its name. */
  toJSON(): Record<string, unknown> {
    const cause = this.cause
    return dropUndefined({
      name: this.name,
      ...fieldsOf(this),
      cause: cause === undefined ? undefined : PageModuleError.isInstance(cause) ? cause.toJSON() : { name: nameOf(cause) },
    })
  }
}
Object.defineProperty(PageModuleError.prototype, 'name', { value: 'PageModuleError', writable: true, configurable: true })

/** Type guard for `PageModuleError` that works across package copies. */
export function isPageModuleError(value: unknown): value is PageModuleError {
  return PageModuleError.isInstance(value)
}

function prefixOf(init: Pick<PageModuleErrorInit, 'module' | 'method' | 'requestId'>): string {
  const where = init.module === undefined ? '' : init.method === undefined ? init.module : `${init.module}.${init.method}`
  if (where === '' && init.requestId === undefined) return ''
  const id = init.requestId === undefined ? '' : ` ${init.requestId}`
  return `[${where}]${id}: `
}

function fieldsOf(error: PageModuleError): PageModuleErrorInit {
  return {
    code: error.code,
    message: error.message,
    moduleCode: error.moduleCode,
    requestId: error.requestId,
    cloudRequestId: error.cloudRequestId,
    module: error.module,
    method: error.method,
    retryable: error.retryable,
    requestSent: error.requestSent,
    details: error.details,
    cause: error.cause,
  }
}

// The same object when no string changed, so `from` can tell an untouched error.
function redactDetails(details: ErrorDetails, secrets: ReadonlyArray<string | undefined>): ErrorDetails {
  if (secrets.length === 0) return details
  let changed = false
  const result: Record<string, string | number | boolean | null> = {}
  for (const key of Object.keys(details)) {
    const value = details[key] as string | number | boolean | null
    result[key] = typeof value === 'string' ? redactSecrets(value, secrets) : value
    if (result[key] !== value) changed = true
  }
  return changed ? result : details
}

function nameOf(value: unknown): string {
  if (value instanceof Error) return value.name
  return typeof value
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (record[key] !== undefined) result[key] = record[key]
  return result
}
