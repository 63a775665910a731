import { MAX_RETRIES, MAX_TIMEOUT } from './call-settings'
import { MAX_PAYLOAD_BYTES_LIMIT } from './json-safety'
import type { Middleware } from './middleware'
import { PageModuleError } from './page-module-error'

const FUNCTION_OPTIONS = ['retryDelay', 'now', 'random'] as const

/**
 * Checks the shape of the options core keeps for later (functions it calls on every attempt, the client it
 * sends), so a wrong one fails at construction with INVALID_OPTIONS instead of as a TypeError mid-call.
 */
export function assertModuleOptionShapes(options: Readonly<Record<string, unknown>>): void {
  for (const name of FUNCTION_OPTIONS) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      refuse(`${name} must be a function, got ${typeof options[name]}`)
  }
  if (options.middleware !== undefined && !Array.isArray(options.middleware))
    refuse('middleware must be an array of middleware, outermost first')
  const client = options.client as Record<string, unknown> | null | undefined
  if (
    client !== undefined &&
    (typeof client !== 'object' || client === null || typeof client.name !== 'string' || typeof client.version !== 'string')
  ) {
    refuse('client must be { name: string, version: string }')
  }
  const protection = options.protection as Record<string, unknown> | null | undefined
  if (protection !== undefined && (typeof protection !== 'object' || protection === null || typeof protection.seal !== 'function'))
    refuse('protection must be a CallProtection ({ name, seal(call) }), e.g. smProtection({ publicKey }) from page-module/sm')
}

/** Checks `callMethod`'s third argument before anything is sent. */
export function assertCallOptionShapes(options: unknown): void {
  if (typeof options !== 'object' || options === null)
    refuse(`callMethod options must be an object, got ${options === null ? 'null' : typeof options}`)
  const signal = (options as { signal?: unknown }).signal as Record<string, unknown> | null | undefined
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof signal.addEventListener !== 'function' ||
      typeof signal.removeEventListener !== 'function')
  ) {
    refuse('callMethod option signal must be an AbortSignal (or { aborted, addEventListener, removeEventListener })')
  }
}

export function assertTimeout(timeout: unknown, where: string): number {
  if (typeof timeout === 'number' && timeout > 0 && timeout <= MAX_TIMEOUT) return timeout
  return refuse(`${where}timeout must be milliseconds between 1 and ${MAX_TIMEOUT}, got ${String(timeout)}`)
}

export function assertRetries(retries: unknown, where: string): number {
  if (typeof retries === 'number' && Math.floor(retries) === retries && retries >= 0 && retries <= MAX_RETRIES) return retries
  return refuse(`${where}retries must be a whole number from 0 to ${MAX_RETRIES}, got ${String(retries)}`)
}

export function assertPayloadLimit(limit: unknown): number {
  if (typeof limit === 'number' && Math.floor(limit) === limit && limit > 0 && limit <= MAX_PAYLOAD_BYTES_LIMIT) return limit
  return refuse(`maxPayloadBytes must be a whole number of bytes from 1 to ${MAX_PAYLOAD_BYTES_LIMIT}, got ${String(limit)}`)
}

export function assertMiddleware(middleware: Middleware): void {
  const candidate = middleware as Partial<Middleware> | null
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.name !== 'string' ||
    candidate.name === '' ||
    (candidate.phase !== 'call' && candidate.phase !== 'attempt') ||
    typeof candidate.handle !== 'function'
  ) {
    refuse("a middleware must be { name: string, phase: 'call' | 'attempt', handle(request, next) }")
  }
}

function refuse(message: string): never {
  throw new PageModuleError({ code: 'INVALID_OPTIONS', message })
}
