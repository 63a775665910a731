import type { IncomingMessage, ServerResponse } from 'node:http'
import { verifySignature } from './verify-signature'
import { parseJsonObject, pathOf, readBody, sendJson } from './http-json'
import type { CallerIdentity, EmulatedInvocation, EmulatorCredential, EmulatorHandler } from './emulator-types'

export interface AdminHandlerOptions {
  readonly env: string
  readonly credentialOf: (secretId: string) => EmulatorCredential | undefined
  /** The identity of the invocation that holds a `WX_API_TOKEN`, so a function calling another passes its caller on. */
  readonly identityOfApiToken: (token: string) => CallerIdentity | undefined
  readonly invoke: (functionName: string, event: unknown, identity: CallerIdentity, via: string | undefined) => Promise<EmulatedInvocation>
  readonly nowSeconds: () => number
  readonly requestId: () => string
}

/**
 * CloudBase's `POST /admin` for `functions.invokeFunction`: always HTTP 200 JSON, `{ requestId, data:
 * { response_data } }` on success and `{ code, message, requestId }` otherwise, as the official SDKs expect.
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
    const body = parseJsonObject(await readBody(request))
    if (!body) {
      fail('INVALID_PARAM', 'the body is not a JSON object')
      return true
    }
    const check = verifySignature({ pathAndQuery: request.url ?? '/admin', headers: request.headers, body }, (secretId) => options.credentialOf(secretId)?.secretKey, options.nowSeconds())
    if (!check.ok) {
      fail('SIGN_PARAM_INVALID', check.message)
      return true
    }
    const credential = options.credentialOf(check.secretId)
    if (credential?.sessionToken !== undefined && body.sessionToken !== credential.sessionToken) {
      fail('SIGN_PARAM_INVALID', 'the session token does not belong to these temporary credentials')
      return true
    }
    if (body.action !== 'functions.invokeFunction') {
      fail('INVALID_PARAM', `the action ${JSON.stringify(body.action)} is not emulated — only functions.invokeFunction is`)
      return true
    }
    const queryEnv = new URL(request.url ?? '/', 'http://local').searchParams.get('env')
    if ((body.envName !== undefined && body.envName !== '' && body.envName !== options.env) || (queryEnv !== null && queryEnv !== '' && queryEnv !== options.env)) {
      fail('INVALID_ENV', `Environment invalid and please check your parameters (this emulator serves env ${options.env})`)
      return true
    }
    if (typeof body.function_name !== 'string' || body.function_name === '') {
      fail('INVALID_PARAM', 'function_name is missing')
      return true
    }
    const event = parseRequestData(body.request_data)
    if (event === undefined) {
      fail('INVALID_PARAM', 'request_data is not JSON')
      return true
    }
    const via = credential?.functionName
    const inherited = via !== undefined && typeof body.wxCloudApiToken === 'string' ? options.identityOfApiToken(body.wxCloudApiToken) : undefined
    const outcome = await options.invoke(body.function_name, event, inherited ?? {}, via)
    if (outcome.ok) sendJson(response, 200, { requestId: outcome.requestId, data: { response_data: JSON.stringify(outcome.result) } })
    else sendJson(response, 200, { code: 'FUNCTIONS_EXECUTE_FAIL', message: outcome.message, requestId: outcome.requestId })
    return true
  }
}

function parseRequestData(requestData: unknown): unknown {
  if (requestData === undefined || requestData === '') return {}
  if (typeof requestData !== 'string') return undefined
  try {
    return JSON.parse(requestData)
  } catch {
    return undefined
  }
}
