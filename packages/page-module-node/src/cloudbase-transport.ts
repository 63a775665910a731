import http from 'node:http'
import https from 'node:https'
import { PageModuleError, type Transport, type TransportRequest, type TransportResponse } from '@page-module/core'
import { injectedServiceUrl, isInternalRuntime, readCloudContext, runtimeTagOf, type Environment } from './cloud-context'
import { readInvokeAnswer } from './cloudbase-answer'
import { resolveCredentials, secretsOf, type CloudBaseCredentials, type CredentialOptions } from './credentials'
import { debugLoggerOf, formatAttempt, type DebugLogger } from './debug-log'
import { exchangeHttp } from './http-exchange'
import { buildInvokeRequest, createSeqIdSource } from './invoke-request'
import { PooledSocketTimeoutHttpAgent, PooledSocketTimeoutHttpsAgent } from './pooled-socket-timeout'
import { redactError } from './redact'
import { VERSION } from './version'

export interface CloudBaseTransportOptions extends CredentialOptions {
  /** CloudBase environment id. Default `TCB_ENV`, then `SCF_NAMESPACE` (the function's own env). */
  readonly env?: string | undefined
  /** e.g. `ap-shanghai`. Default `TENCENTCLOUD_REGION`; none means CloudBase's default host. */
  readonly region?: string | undefined
  /** Replaces `https://{env}.tcb-api.tencentcloudapi.com/admin` (a proxy, the local emulator). Default `TCB_CONTEXT_CNFG.URL`. */
  readonly serviceUrl?: string | undefined
  /** Extra headers for every request; they are signed. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Your own `http.Agent` (or `https.Agent`, matching the endpoint's scheme). Default: a keep-alive agent, off in a cloud function. */
  readonly agent?: http.Agent | undefined
  /** Receives one line per attempt, secrets removed. */
  readonly logger?: DebugLogger | undefined
  /** Logs one line per attempt to stderr when no `logger` is given. */
  readonly debug?: boolean | undefined
  /** Where `TENCENTCLOUD_*`, `TCB_*` and `WX_*` variables are read, on every request. Default `process.env`. */
  readonly environment?: Environment | undefined
  /** The clock (ms since the epoch), for the signature. Default `Date.now`. */
  readonly now?: (() => number) | undefined
}

// The official SDK's agentkeepalive settings; idle sockets close before a typical 5 s server keep-alive does.
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 3000, maxSockets: 100, maxFreeSockets: 10, timeout: 4800 }

/**
 * A transport that calls the module's function the way `@cloudbase/node-sdk`'s `callFunction` does: `POST /admin`
 * signed with CloudBase's TC3-HMAC-SHA256 variant, every attempt signed afresh with the credentials of that moment.
 */
export function createCloudBaseTransport(options: CloudBaseTransportOptions = {}): Transport {
  assertTransportOptions(options)
  const now = options.now ?? Date.now
  const nextSeqId = createSeqIdSource()
  const log = debugLoggerOf(options)
  const ownedAgents: Array<http.Agent> = []
  const agentsFor = (internal: boolean) => {
    if (options.agent !== undefined) return { http: options.agent, https: options.agent as https.Agent }
    // Inside a function each invocation may be frozen between calls, so sockets are not kept (as the official SDK does).
    const index = internal ? 2 : 0
    if (ownedAgents.length === 0) {
      ownedAgents.push(new PooledSocketTimeoutHttpAgent(KEEP_ALIVE), new PooledSocketTimeoutHttpsAgent(KEEP_ALIVE), new http.Agent({ keepAlive: false }), new https.Agent({ keepAlive: false }))
    }
    return { http: ownedAgents[index] as http.Agent, https: ownedAgents[index + 1] as https.Agent }
  }

  return {
    name: 'cloudbase',
    async send(request: TransportRequest): Promise<TransportResponse> {
      const environment = options.environment ?? process.env
      const started = now()
      let credentials: CloudBaseCredentials | undefined
      let url = ''
      try {
        credentials = resolveCredentials(options, environment)
        const context = readCloudContext(environment)
        const runtimeRegion = environment.TENCENTCLOUD_REGION ?? ''
        const runtimeTag = runtimeTagOf(environment)
        const internal = isInternalRuntime(runtimeTag)
        const built = buildInvokeRequest({
          functionName: request.functionName,
          requestData: JSON.stringify(request.envelope),
          env: envOf(options, environment),
          credentials,
          context,
          runtimeTag,
          region: options.region ?? runtimeRegion,
          runtimeRegion,
          internal,
          serviceUrl: options.serviceUrl ?? injectedServiceUrl(context),
          seqId: nextSeqId(started, context),
          now: started,
          sdkVersion: `page-module-node/${VERSION}`,
          headers: options.headers ?? {},
        })
        url = built.url
        const answer = await exchangeHttp({ url, headers: built.headers, body: built.body, agents: agentsFor(internal), signal: request.signal })
        const response = readInvokeAnswer(answer.status, answer.text, request.functionName)
        log?.(formatAttempt({ functionName: request.functionName, attempt: request.attempt, url, milliseconds: now() - started, outcome: { status: 'ok', cloudRequestId: response.cloudRequestId } }, secretsOf(credentials)))
        return response
      } catch (thrown) {
        const secrets = secretsOf(credentials)
        const error = PageModuleError.isInstance(thrown) ? redactError(thrown, secrets) : thrown
        log?.(formatAttempt({ functionName: request.functionName, attempt: request.attempt, url, milliseconds: now() - started, outcome: { status: 'error', error } }, secrets))
        throw error
      }
    },
    close() {
      for (const agent of ownedAgents.splice(0)) agent.destroy()
    },
  }
}

function envOf(options: CloudBaseTransportOptions, environment: Environment): string {
  const env = options.env ?? (environment.TCB_ENV || environment.SCF_NAMESPACE)
  if (env) return env
  throw new PageModuleError({ code: 'INVALID_OPTIONS', requestSent: false, message: 'no CloudBase environment — pass env (e.g. my-env-1a2b) or set TCB_ENV (inside a cloud function SCF_NAMESPACE is used)' })
}

function assertTransportOptions(options: CloudBaseTransportOptions): void {
  for (const name of ['secretId', 'secretKey', 'sessionToken', 'accessKey', 'env', 'region', 'serviceUrl'] as const) {
    const value = options[name]
    if (value !== undefined && (typeof value !== 'string' || value === '' || /\s/.test(value))) {
      throw new PageModuleError({ code: 'INVALID_OPTIONS', message: `${name} must be a non-empty string without spaces` })
    }
  }
  if (options.serviceUrl !== undefined && !/^https?:\/\/[^/?#]+/i.test(options.serviceUrl)) {
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message: `serviceUrl must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/admin, got ${options.serviceUrl}` })
  }
}
