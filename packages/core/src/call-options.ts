import { PageModuleError } from './page-module-error'

const FUNCTION_OPTIONS = ['retryDelay', 'now', 'random'] as const

/**
 * Checks the shape of the options core keeps for later (functions it calls on every attempt, the client it
 * sends), so a wrong one fails at construction with INVALID_OPTIONS instead of as a TypeError mid-call.
 */
export function assertModuleOptionShapes(options: Readonly<Record<string, unknown>>): void {
  for (const name of FUNCTION_OPTIONS) {
    if (options[name] !== undefined && typeof options[name] !== 'function') refuse(`${name} must be a function, got ${typeof options[name]}`)
  }
  if (options.middleware !== undefined && !Array.isArray(options.middleware)) refuse('middleware must be an array of middleware, outermost first')
  const client = options.client as Record<string, unknown> | null | undefined
  if (client !== undefined && (typeof client !== 'object' || client === null || typeof client.name !== 'string' || typeof client.version !== 'string')) {
    refuse('client must be { name: string, version: string }')
  }
}

/** Checks `callMethod`'s third argument before anything is sent. */
export function assertCallOptionShapes(options: unknown): void {
  if (typeof options !== 'object' || options === null) refuse(`callMethod options must be an object, got ${options === null ? 'null' : typeof options}`)
  const signal = (options as { signal?: unknown }).signal as Record<string, unknown> | null | undefined
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function')) {
    refuse('callMethod option signal must be an AbortSignal (or { aborted, addEventListener, removeEventListener })')
  }
}

function refuse(message: string): never {
  throw new PageModuleError({ code: 'INVALID_OPTIONS', message })
}
