import type { PageModuleErrorCode } from './error-codes'

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
  /** A transient failure: trying again later may succeed. */
  retryable?: boolean | undefined
  /** Whether the request reached the wire; `false` makes a retry safe. Unknown when undefined. */
  requestSent?: boolean | undefined
  details?: ErrorDetails | undefined
  cause?: unknown
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
    this.requestSent = init.requestSent
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

  /** A copy of this error with more context (used when a lower layer threw without knowing the call). */
  withContext(context: Pick<PageModuleErrorInit, 'module' | 'method' | 'requestId'>): PageModuleError {
    return new PageModuleError({ ...this.toInit(), ...context, message: this.message.slice(prefixOf(this).length) })
  }

  /** A plain object for logs. Carries no `cause` payload (a lower layer's message may hold a secret), only its name. */
  toJSON(): Record<string, unknown> {
    const cause = this.cause
    return dropUndefined({
      name: this.name,
      ...this.toInit(),
      cause: cause === undefined ? undefined : PageModuleError.isInstance(cause) ? cause.toJSON() : { name: nameOf(cause) },
    })
  }

  private toInit(): PageModuleErrorInit {
    return {
      code: this.code,
      message: this.message,
      moduleCode: this.moduleCode,
      requestId: this.requestId,
      cloudRequestId: this.cloudRequestId,
      module: this.module,
      method: this.method,
      retryable: this.retryable,
      requestSent: this.requestSent,
      details: this.details,
      cause: this.cause,
    }
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

function nameOf(value: unknown): string {
  if (value instanceof Error) return value.name
  return typeof value
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (record[key] !== undefined) result[key] = record[key]
  return result
}
