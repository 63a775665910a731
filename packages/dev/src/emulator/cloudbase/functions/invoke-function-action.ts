import type { AdminAction } from '../admin/admin-handler'
import type { CallerIdentity, EmulatedInvocation } from '../../emulator-types'

export type RunFunction = (
  functionName: string,
  event: unknown,
  identity: CallerIdentity,
  via: string | undefined,
) => Promise<EmulatedInvocation>

/**
 * `functions.invokeFunction`: `{ requestId, data: { response_data } }` on success and `FUNCTIONS_EXECUTE_FAIL` with the
 * function's message otherwise. A function calling another passes its caller on; the callee's `TCB_SOURCE` is the
 * chain the caller sent in `X-TCB-Source`, as in the cloud (a mini-program user's call through a function: `wx_client,scf`).
 */
export function createInvokeFunctionAction(run: RunFunction): AdminAction {
  return async ({ body, requestId, via, inheritedIdentity, source }) => {
    if (typeof body.function_name !== 'string' || body.function_name === '') {
      return { code: 'INVALID_PARAM', message: 'function_name is missing', requestId }
    }
    const event = parseRequestData(body.request_data)
    if (event === undefined) return { code: 'INVALID_PARAM', message: 'request_data is not JSON', requestId }
    const { source: _callersSource, ...caller } = inheritedIdentity ?? {}
    const outcome = await run(body.function_name, event, source === undefined ? caller : { ...caller, source }, via)
    if (outcome.ok) return { requestId: outcome.requestId, data: { response_data: JSON.stringify(outcome.result) } }
    return { code: 'FUNCTIONS_EXECUTE_FAIL', message: outcome.message, requestId: outcome.requestId }
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
