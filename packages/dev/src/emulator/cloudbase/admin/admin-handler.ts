import type { IncomingMessage, ServerResponse } from 'node:http'
import { looksSigned, verifySignature } from './verify-signature'
import { BodyTooLargeError, pathOf, sendJson } from '../../http-json'
import { readAdminBody } from './read-admin-body'
import type { CallerIdentity, EmulatedInvocation, EmulatorCredential, EmulatorHandler } from '../../emulator-types'

/** What an `/admin` action is given: the verified request, and who signed it. */
export interface AdminActionRequest {
  /** The JSON body (or the multipart fields, bytes as Buffers), signature and session token checked, env matched. */
  readonly body: Readonly<Record<string, unknown>>
  readonly requestId: string
  /** Set when a function signed with its own temporary credentials: the function's name. */
  readonly via: string | undefined
  /** The identity of the invocation whose `WX_API_TOKEN` came with the request (a function calling on for its user). */
  readonly inheritedIdentity: CallerIdentity | undefined
  /** The call chain the caller's SDK sent in `X-TCB-Source` (`wx_client,scf` from a function): the callee's `TCB_SOURCE`. */
  readonly source: string | undefined
}

/**
 * One CloudBase action (`functions.invokeFunction`, `database.queryDocument`, `storage.getUploadMetadata` …): resolves with
 * the JSON answer, always sent with HTTP 200 as the service does. Success is `{ requestId, data }`; failure `{ code, message, requestId }`.
 */
export type AdminAction = (request: AdminActionRequest) => Promise<object | AdminBytesAnswer>

/** An answer sent as bytes with HTTP 200 (the protobuf `CommOpenApiResp` of a cloud call). */
export interface AdminBytesAnswer {
  readonly contentType: string
  readonly bytes: Buffer
}

export interface AdminHandlerOptions {
  readonly env: string
  readonly credentialOf: (secretId: string) => EmulatorCredential | undefined
  /** The identity of the invocation that holds a `WX_API_TOKEN`, so a function calling another passes its caller on. */
  readonly identityOfApiToken: (token: string) => CallerIdentity | undefined
  /** The actions served, by name; consulted on every request, so actions mounted later are served too. */
  readonly actions: ReadonlyMap<string, AdminAction>
  readonly nowSeconds: () => number
  readonly requestId: () => string
  /** Told of each request refused before its action ran (`POST /admin <action>`, `<code>: <reason>`), secrets left out. */
  readonly refused?: (request: string, reason: string) => void
}

const MAX_BODIES_READ_AT_ONCE = 4
/** A body still arriving after this is dropped with its connection, so a slow sender cannot hold a slot. */
const BODY_READ_TIMEOUT_MS = 15_000

/** At most `size` holders at once; `take` resolves with the release when a slot is free. */
function createSlots(size: number): { take(): Promise<() => void> } {
  let free = size
  const waiting: Array<() => void> = []
  const release = () => {
    const next = waiting.shift()
    if (next === undefined) free += 1
    else next()
  }
  return {
    take() {
      if (free > 0) {
        free -= 1
        return Promise.resolve(release)
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)))
    },
  }
}

/**
 * CloudBase's `POST /admin`: checks the signature, the session token of temporary credentials and the env exactly
 * as the service does, then runs the named action. Always HTTP 200 JSON, as the official SDKs expect.
 */
export function createAdminHandler(options: AdminHandlerOptions): EmulatorHandler {
  // Bodies are read (and held) before their signature can be checked: only a few at once, the others wait unread.
  const bodySlots = createSlots(MAX_BODIES_READ_AT_ONCE)
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (pathOf(request) !== '/admin') return false
    const requestId = options.requestId()
    let body: Record<string, unknown> | undefined
    const fail = (code: string, message: string) => {
      sendJson(response, 200, { code, message, requestId })
      options.refused?.(describeRequest(request, body), `${code}: ${logSafe(message, request, body)}`)
    }
    // A refusal before the body is read closes the connection: what the client still sends is never read.
    const refuseUnread = (code: string, message: string) => {
      response.shouldKeepAlive = false
      fail(code, message)
    }
    if (request.method !== 'POST') {
      refuseUnread('INVALID_PARAM', `${request.method} /admin is not supported — CloudBase's API takes POST`)
      return true
    }
    if (!looksSigned(request.headers)) {
      refuseUnread('SIGN_PARAM_INVALID', 'the Authorization header is missing or is not a TC3-HMAC-SHA256 CloudBase signature')
      return true
    }
    const release = await bodySlots.take()
    const timer = setTimeout(() => request.destroy(), BODY_READ_TIMEOUT_MS)
    try {
      body = await readAdminBody(request)
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error
      refuseUnread('INVALID_PARAM', `${error.message}, more than an invocation of SCF's 6 MB limit can need — send less data`)
      return true
    } finally {
      clearTimeout(timer)
      release()
    }
    if (!body) {
      fail('INVALID_PARAM', 'the body is not a JSON object or multipart form')
      return true
    }
    const check = verifySignature(
      { pathAndQuery: request.url ?? '/admin', headers: request.headers, body },
      (secretId) => options.credentialOf(secretId)?.secretKey,
      options.nowSeconds(),
    )
    if (!check.ok) {
      fail('SIGN_PARAM_INVALID', check.message)
      return true
    }
    const credential = options.credentialOf(check.secretId)
    if (credential?.sessionToken !== undefined && body.sessionToken !== credential.sessionToken) {
      fail('SIGN_PARAM_INVALID', 'the session token does not belong to these temporary credentials')
      return true
    }
    const action = typeof body.action === 'string' ? options.actions.get(body.action) : undefined
    if (action === undefined) {
      const served = [...options.actions.keys()].join(', ')
      fail('INVALID_PARAM', `the action ${JSON.stringify(body.action)} is not emulated — these are: ${served}`)
      return true
    }
    const queryEnv = new URL(request.url ?? '/', 'http://local').searchParams.get('env')
    if (
      (body.envName !== undefined && body.envName !== '' && body.envName !== options.env) ||
      (queryEnv !== null && queryEnv !== '' && queryEnv !== options.env)
    ) {
      fail('INVALID_ENV', `Environment invalid and please check your parameters (this emulator serves env ${options.env})`)
      return true
    }
    const via = credential?.functionName
    const inheritedIdentity =
      via !== undefined && typeof body.wxCloudApiToken === 'string' ? options.identityOfApiToken(body.wxCloudApiToken) : undefined
    const sourceHeader = request.headers['x-tcb-source']
    const source = typeof sourceHeader === 'string' && sourceHeader !== '' ? sourceHeader : undefined
    const answer = await action({ body, requestId, via, inheritedIdentity, source })
    if (Buffer.isBuffer((answer as Partial<AdminBytesAnswer>).bytes)) {
      const { contentType, bytes } = answer as AdminBytesAnswer
      response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length })
      response.end(bytes)
    } else sendJson(response, 200, answer)
    return true
  }
}

/** `POST /admin` with the action asked for, when the body named one. */
function describeRequest(request: IncomingMessage, body: Record<string, unknown> | undefined): string {
  const action = typeof body?.action === 'string' ? ` ${body.action.slice(0, 80)}` : ''
  return `${request.method ?? '?'} /admin${action}`
}

/** The reason without the caller's key id, session token or api token in full (a message may quote the secretId). */
function logSafe(message: string, request: IncomingMessage, body: Record<string, unknown> | undefined): string {
  const secretId = /Credential=([^/,\s]+)/.exec(request.headers.authorization ?? '')?.[1]
  let safe = secretId === undefined ? message : message.split(secretId).join(maskedId(secretId))
  for (const field of ['sessionToken', 'wxCloudApiToken', 'secretKey']) {
    const value = body?.[field]
    if (typeof value === 'string' && value.length >= 4) safe = safe.split(value).join('[redacted]')
  }
  return safe
}

/** Enough of a key id to tell which one was used: its first and last four characters. */
function maskedId(secretId: string): string {
  return secretId.length > 12 ? `${secretId.slice(0, 4)}…${secretId.slice(-4)}` : '…'
}
