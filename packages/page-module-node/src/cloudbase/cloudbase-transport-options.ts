import http from 'node:http'
import { PageModuleError } from '@page-module/core'
import type { Environment } from './cloud-context'
import type { CredentialOptions } from './credentials'
import type { DebugLogger } from '../debug-log'

/**
 * Node's `http.Agent` or `https.Agent` (a proxy agent too), by two of its members: the typings then compile without
 * `@types/node`, as in a mini-program TypeScript project that imports `page-module`.
 */
export interface NodeHttpAgent {
  maxSockets: number
  destroy(): void
}

export interface CloudBaseTransportOptions extends CredentialOptions {
  /**
   * CloudBase environment id, or `cloud.DYNAMIC_CURRENT_ENV` / `SYMBOL_CURRENT_ENV` for the function's own env (refused
   * outside a cloud function). Default `TCB_ENV`, then `SCF_NAMESPACE` (the function's own env).
   */
  readonly env?: string | symbol | undefined
  /** e.g. `ap-shanghai`. Default `TENCENTCLOUD_REGION`; none means CloudBase's default host. */
  readonly region?: string | undefined
  /** Replaces `https://{env}.tcb-api.tencentcloudapi.com/admin` (a proxy, the local emulator). Default `TCB_CONTEXT_CNFG.URL`. */
  readonly serviceUrl?: string | undefined
  /** Extra headers for every request; they are signed. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Your own `http.Agent` (or `https.Agent`, matching the endpoint's scheme). Default: a keep-alive agent, off in a cloud function. */
  readonly agent?: NodeHttpAgent | undefined
  /** Receives one line per attempt, secrets removed. */
  readonly logger?: DebugLogger | undefined
  /** Logs one line per attempt to stderr when no `logger` is given. */
  readonly debug?: boolean | undefined
  /**
   * Where `TENCENTCLOUD_*`, `TCB_*` and `WX_*` variables are read: credentials and cloud context on every request,
   * the platform (`TENCENTCLOUD_RUNENV`, `TENCENTCLOUD_REGION`, …) once, here. Default `process.env`, whose cloud
   * context is read once too outside a cloud function (see the README's contract).
   */
  readonly environment?: Environment | undefined
  /** The clock (ms since the epoch), for the signature. Default `Date.now`. */
  readonly now?: (() => number) | undefined
  /** A longer answer fails the call with `RESPONSE_TOO_LARGE` while it arrives. Default 16 MiB, at most 256 MiB. */
  readonly maxResponseBytes?: number | undefined
}

/** The keys that pick CloudBase signed HTTP (besides the shared `env` and `now`). */
export const CLOUDBASE_HTTP_KEYS = [
  'secretId',
  'secretKey',
  'sessionToken',
  'accessKey',
  'region',
  'serviceUrl',
  'headers',
  'agent',
  'logger',
  'debug',
  'environment',
  'maxResponseBytes',
] as const satisfies ReadonlyArray<keyof CloudBaseTransportOptions>

const MAX_RESPONSE_BYTES_LIMIT = 256 * 1024 * 1024

/** Refuses, at construction, every option that would otherwise fail each call (or run with a wrong value). */
export function assertTransportOptions(options: CloudBaseTransportOptions): void {
  for (const name of ['secretId', 'secretKey', 'sessionToken', 'accessKey', 'env', 'region', 'serviceUrl'] as const) {
    const value = options[name]
    if (value !== undefined && (typeof value !== 'string' || value === '' || /\s/.test(value))) {
      refuse(`${name} must be a non-empty string without spaces`)
    }
  }
  if (options.serviceUrl !== undefined && !/^https?:\/\/[^/?#]+/i.test(options.serviceUrl)) {
    refuse(`serviceUrl must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/admin, got ${options.serviceUrl}`)
  }
  if (options.headers !== undefined) assertHeaders(options.headers)
  if (options.agent !== undefined && typeof (options.agent as { addRequest?: unknown } | null)?.addRequest !== 'function')
    refuse('agent must be an http.Agent (or https.Agent for an https:// endpoint)')
  for (const name of ['logger', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      refuse(`${name} must be a function, got ${typeof options[name]}`)
  }
  if (options.debug !== undefined && typeof options.debug !== 'boolean') refuse(`debug must be true or false, got ${typeof options.debug}`)
  if (options.environment !== undefined && (typeof options.environment !== 'object' || options.environment === null))
    refuse('environment must be an object of variables, like process.env')
  const { maxResponseBytes } = options
  if (
    maxResponseBytes !== undefined &&
    !(Number.isInteger(maxResponseBytes) && maxResponseBytes >= 1 && maxResponseBytes <= MAX_RESPONSE_BYTES_LIMIT)
  )
    refuse(`maxResponseBytes must be a whole number of bytes from 1 to ${MAX_RESPONSE_BYTES_LIMIT}, got ${String(maxResponseBytes)}`)
}

// Checked here so that a bad header fails at construction, not as a TypeError of http.request on every call.
// Values never appear in the message: a header may carry a token.
function assertHeaders(headers: unknown): void {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    refuse("headers must be an object of header names to string values, e.g. { 'X-Trace-Id': 'abc' }")
  const seen = new Set<string>()
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') refuse(`headers['${name}'] must be a string, got ${typeof value}`)
    try {
      http.validateHeaderName(name)
      http.validateHeaderValue(name, value)
    } catch {
      refuse(
        `headers['${name}'] is not a valid HTTP header: ` +
          "a name is letters, digits and !#$%&'*+-.^_`|~, a value has no line breaks or control characters",
      )
    }
    if (seen.has(name.toLowerCase())) refuse(`headers has '${name}' twice (header names ignore case) — pass it once`)
    seen.add(name.toLowerCase())
  }
}

function refuse(message: string): never {
  throw new PageModuleError({ code: 'INVALID_OPTIONS', message })
}
