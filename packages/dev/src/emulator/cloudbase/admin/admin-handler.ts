import type { IncomingMessage, ServerResponse } from 'node:http'
import { verifySignature } from './verify-signature'
import { pathOf, sendJson } from '../../http-json'
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
}

/**
 * CloudBase's `POST /admin`: checks the signature, the session token of temporary credentials and the env exactly
 * as the service does, then runs the named action. Always HTTP 200 JSON, as the official SDKs expect.
 */
export function createAdminHandler(options: AdminHandlerOptions): EmulatorHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (pathOf(request) !== '/admin') return false
    const requestId = options.requestId()
    const fail = (code: string, message: string) => sendJson(response, 200, { code, message, requestId })
    if (request.method !== 'POST') {
      fail('INVALID_PARAM', `${request.method} /admin is not supported — CloudBase's API takes POST`)
      return true
    }
    const body = await readAdminBody(request)
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
    const answer = await action({ body, requestId, via, inheritedIdentity })
    if (Buffer.isBuffer((answer as Partial<AdminBytesAnswer>).bytes)) {
      const { contentType, bytes } = answer as AdminBytesAnswer
      response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length })
      response.end(bytes)
    } else sendJson(response, 200, answer)
    return true
  }
}
