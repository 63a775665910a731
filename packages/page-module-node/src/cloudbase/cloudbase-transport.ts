import http from 'node:http'
import https from 'node:https'
import { envOfOption } from '@page-module/core/current-env'
import { PageModuleError, type Transport, type TransportRequest, type TransportResponse } from '@page-module/core'
import { injectedServiceUrl, mayChangePerInvocation, readCloudContext, readPlatform, type Environment } from './cloud-context'
import { readInvokeAnswer } from './cloudbase-answer'
import { assertTransportOptions, type CloudBaseTransportOptions } from './cloudbase-transport-options'
import { resolveCredentials, secretsOf, type CloudBaseCredentials } from './credentials'
import { debugLoggerOf, formatAttempt, type AttemptRecord } from '../debug-log'
import { exchangeHttp } from '../http/http-exchange'
import { createSeqIdSource } from './invoke-request'
import { createInvokeRequestBuilder } from './invoke-request-builder'
import { closeIdleSockets } from '../http/idle-socket-sweep'
import { VERSION } from '../version'

export type { CloudBaseTransportOptions }

// The official SDK's agentkeepalive settings. Idle sockets close 4.3–4.8 s after their last answer (its
// freeSocketTimeout is 4.8 s), before a typical 5 s server keep-alive timeout closes them.
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 3000, maxSockets: 100, maxFreeSockets: 10 }
const IDLE_SWEEP = { idleMs: 4300, sweepMs: 500 }

interface AgentPair {
  readonly http: http.Agent
  readonly https: https.Agent
}

const SDK_VERSION = `page-module-node/${VERSION}`
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

/**
 * A transport that calls the module's function the way `@cloudbase/node-sdk`'s `callFunction` does: `POST /admin`
 * signed with CloudBase's TC3-HMAC-SHA256 variant, every attempt signed afresh with the credentials of that moment.
 */
export function createCloudBaseTransport(options: CloudBaseTransportOptions = {}): Transport {
  const givenEnv = typeof options.env === 'symbol' ? undefined : options.env
  assertTransportOptions({ ...options, env: givenEnv })
  // cloud.DYNAMIC_CURRENT_ENV: the env of the function this process runs in, refused here and now outside one.
  const env = envOfOption(options.env, options.environment ?? process.env) as string | undefined
  const now = options.now ?? Date.now
  const nextSeqId = createSeqIdSource()
  const buildInvokeRequest = createInvokeRequestBuilder()
  // Read once: the platform does not change under a process. Credentials are read on every request.
  const platform = readPlatform(options.environment ?? process.env)
  // The cloud context of process.env too, except where it can change (a cloud function): each process.env read is
  // a call into C++ that costs about a microsecond under load, and a request needs several.
  const fixedContext =
    options.environment === undefined && !mayChangePerInvocation(process.env, platform) ? readCloudContext(process.env) : undefined
  const log = debugLoggerOf(options)
  const givenAgents = options.agent === undefined ? undefined : { http: options.agent as http.Agent, https: options.agent as https.Agent }
  let ownedAgents: { readonly external: AgentPair; readonly internal: AgentPair } | undefined
  const agentsFor = (internal: boolean): AgentPair => {
    if (givenAgents !== undefined) return givenAgents
    // Inside a function each invocation may be frozen between calls, so sockets are not kept (as the official SDK does).
    ownedAgents ??= {
      external: {
        http: closeIdleSockets(new http.Agent(KEEP_ALIVE), IDLE_SWEEP),
        https: closeIdleSockets(new https.Agent(KEEP_ALIVE), IDLE_SWEEP),
      },
      internal: { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) },
    }
    return internal ? ownedAgents.internal : ownedAgents.external
  }

  return {
    name: 'cloudbase',
    async send(request: TransportRequest): Promise<TransportResponse> {
      const environment = options.environment ?? process.env
      const started = now()
      let credentials: CloudBaseCredentials | undefined
      let url = ''
      const logAttempt = (outcome: AttemptRecord['outcome'], secrets: readonly string[]) =>
        log?.(
          formatAttempt(
            { functionName: request.functionName, attempt: request.attempt, url, milliseconds: now() - started, outcome },
            secrets,
          ),
        )
      try {
        credentials = resolveCredentials(options, environment)
        const context = fixedContext ?? readCloudContext(environment)
        const built = buildInvokeRequest({
          functionName: request.functionName,
          requestData: JSON.stringify(request.envelope),
          env: envOf(env, environment),
          credentials,
          context,
          runtimeTag: platform.runtimeTag,
          region: options.region ?? platform.region,
          runtimeRegion: platform.region,
          internal: platform.internal,
          serviceUrl: options.serviceUrl ?? injectedServiceUrl(context),
          seqId: nextSeqId(started, context),
          now: started,
          sdkVersion: SDK_VERSION,
          headers: options.headers ?? NO_HEADERS,
        })
        url = built.url
        const answer = await exchangeHttp({
          url,
          headerList: built.headerList,
          body: built.body,
          agents: agentsFor(platform.internal),
          signal: request.signal,
          maxResponseBytes: options.maxResponseBytes,
        })
        const response = readInvokeAnswer(answer.status, answer.text, request.functionName, secretsOf(credentials))
        logAttempt({ status: 'ok', cloudRequestId: response.cloudRequestId }, secretsOf(credentials))
        return response
      } catch (thrown) {
        const secrets = secretsOf(credentials)
        const error = PageModuleError.isInstance(thrown) ? PageModuleError.from(thrown, { secrets }) : thrown
        logAttempt({ status: 'error', error }, secrets)
        throw error
      }
    },
    close() {
      for (const pair of ownedAgents === undefined ? [] : [ownedAgents.external, ownedAgents.internal]) {
        pair.http.destroy()
        pair.https.destroy()
      }
      ownedAgents = undefined
    },
  }
}

function envOf(given: string | undefined, environment: Environment): string {
  const env = given ?? (environment.TCB_ENV || environment.SCF_NAMESPACE)
  if (env) return env
  throw new PageModuleError({
    code: 'INVALID_OPTIONS',
    requestSent: false,
    message: 'no CloudBase environment — pass env (e.g. my-env-1a2b) or set TCB_ENV (inside a cloud function SCF_NAMESPACE is used)',
  })
}
