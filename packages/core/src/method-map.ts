import type { AbortSignalLike } from './abort-signal'

/** One method of a typed module: what it takes and what it resolves with. */
export interface MethodSpec {
  input?: unknown
  output?: unknown
}

/** The untyped default: any method name, `unknown` in and out. */
export type MethodMap = Record<string, MethodSpec>

/** A method map checked against itself, so interfaces (which have no index signature) are accepted. */
export type MethodMapOf<Methods> = { [K in keyof Methods]: MethodSpec }

export type MethodName<Methods> = Extract<keyof Methods, string>

export type MethodInput<Methods, Method extends keyof Methods> = 'input' extends keyof Methods[Method]
  ? Methods[Method]['input' & keyof Methods[Method]]
  : undefined

export type MethodOutput<Methods, Method extends keyof Methods> = 'output' extends keyof Methods[Method]
  ? Methods[Method]['output' & keyof Methods[Method]]
  : unknown

/** Per-call options of `callMethod`. */
export interface CallOptions {
  /** Milliseconds for the whole call, retries included. Default: the module's `timeout`. */
  readonly timeout?: number | undefined
  /** Aborts the call; it rejects with `ABORTED` (or the signal's reason when that is a PageModuleError). */
  readonly signal?: AbortSignalLike | undefined
  /**
   * Lets the host run this call at most once, so it may be retried even after it was sent. A string you
   * choose (1–128 printable ASCII), or `true` to have one made for this call.
   */
  readonly idempotencyKey?: string | true | undefined
  /** Retries for this call. Default: the module's `retries`. */
  readonly retries?: number | undefined
  /** Values for middleware of this call; never sent. */
  readonly context?: Record<string, unknown> | undefined
}

/** `data` is optional when the method's input allows `undefined`. */
export type CallArguments<Methods, Method extends keyof Methods> =
  undefined extends MethodInput<Methods, Method>
    ? [data?: MethodInput<Methods, Method>, options?: CallOptions]
    : [data: MethodInput<Methods, Method>, options?: CallOptions]
