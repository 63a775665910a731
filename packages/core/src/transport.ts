import type { AbortSignalLike } from './abort-signal'
import type { CallEnvelope } from './envelope'

/** One attempt to deliver an envelope to a module's cloud function. */
export interface TransportRequest {
  readonly functionName: string
  readonly envelope: CallEnvelope
  /** 1 for the first try, 2 for the first retry… */
  readonly attempt: number
  /** Aborts on the call's timeout or the caller's signal; transports stop their I/O on it. */
  readonly signal: AbortSignalLike
  /** Milliseconds left before the call times out; transports may pass it to their platform. */
  readonly timeout: number
}

/** What came back from the cloud function, before core checks its shape. */
export interface TransportResponse {
  /** The function's return value (a `ModuleResponse` when the function is a PageModule module). */
  readonly body: unknown
  /** The platform's id for the invocation (wx `requestID`, CloudBase `requestId`). */
  readonly cloudRequestId?: string | undefined
}

/**
 * The only thing an adapter implements. `send` resolves with what the function returned, or rejects with a
 * `PageModuleError` whose `requestSent` says whether the request left (core retries only where that is safe).
 */
export interface Transport {
  readonly name: string
  send(request: TransportRequest): Promise<TransportResponse>
  /** Releases sockets or timers the transport holds. */
  close?(): void | Promise<void>
}
