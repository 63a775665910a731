import type { AbortSignalLike } from './abort-signal'
import type { TransportRequest, TransportResponse } from './transport'

/** A call as the call-phase middleware sees it: once per `callMethod`, outside retries. */
export interface CallRequest {
  readonly module: string
  readonly functionName: string
  readonly method: string
  readonly data: unknown
  readonly requestId: string
  readonly idempotencyKey: string | undefined
  readonly timeout: number
  readonly retries: number
  readonly signal: AbortSignalLike | undefined
  /** Scratch space shared by middleware of one call; never sent. */
  readonly context: Record<string, unknown>
}

/** Runs once per call, around retries: logging, metrics, data transforms. Resolves with the method's data. */
export interface CallMiddleware {
  readonly name: string
  readonly phase: 'call'
  handle(request: CallRequest, next: (request: CallRequest) => Promise<unknown>): Promise<unknown>
}

/** Runs for every attempt, inside retries: per-attempt headers, tracing, fault injection. */
export interface AttemptMiddleware {
  readonly name: string
  readonly phase: 'attempt'
  handle(request: TransportRequest, next: (request: TransportRequest) => Promise<TransportResponse>): Promise<TransportResponse>
}

export type Middleware = CallMiddleware | AttemptMiddleware

type Handler<Request, Result> = (request: Request) => Promise<Result>
type Layer<Request, Result> = { handle(request: Request, next: Handler<Request, Result>): Promise<Result> }

/** Wraps `terminal` so the first layer runs first (outermost). */
export function composeLayers<Request, Result>(
  layers: readonly Layer<Request, Result>[],
  terminal: Handler<Request, Result>,
): Handler<Request, Result> {
  let handler = terminal
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index] as Layer<Request, Result>
    const next = handler
    handler = (request) => layer.handle(request, next)
  }
  return handler
}
