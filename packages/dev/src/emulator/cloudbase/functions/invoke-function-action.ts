import type { AdminAction } from '../admin/admin-handler'
import { MAX_EVENT_BYTES } from '../../http-json'
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
    if (typeof body.request_data === 'string' && Buffer.byteLength(body.request_data) > MAX_EVENT_BYTES) {
      const bytes = Buffer.byteLength(body.request_data)
      return {
        code: 'INVALID_PARAM',
        message: `request_data is ${bytes} bytes, over SCF's ${MAX_EVENT_BYTES}-byte limit for an event`,
        requestId,
      }
    }
    const event = parseRequestData(body.request_data)
    if (event === undefined) return { code: 'INVALID_PARAM', message: 'request_data is not JSON', requestId }
    if (depthOver(event, MAX_EVENT_DEPTH)) {
      return {
        code: 'INVALID_PARAM',
        message: `request_data is nested deeper than ${MAX_EVENT_DEPTH} levels — flatten the data`,
        requestId,
      }
    }
    const { source: _callersSource, ...caller } = inheritedIdentity ?? {}
    const outcome = await run(body.function_name, event, source === undefined ? caller : { ...caller, source }, via)
    if (outcome.ok) return { requestId: outcome.requestId, data: { response_data: JSON.stringify(outcome.result) } }
    return { code: 'FUNCTIONS_EXECUTE_FAIL', message: outcome.message, requestId: outcome.requestId }
  }
}

/** SCF's event limit, with room for the PageModule envelope around data of that size (which core accepts). */
const MAX_REQUEST_DATA_BYTES = MAX_EVENT_BYTES + 64 * 1024

/** Deeper events are refused before a function is picked: serialising one for the function's process would overflow. */
const MAX_EVENT_DEPTH = 256

/** Whether `value` nests deeper than `limit`, measured without recursion. */
function depthOver(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [current, depth] = item
    if (typeof current !== 'object' || current === null) continue
    if (depth > limit) return true
    for (const child of Object.values(current)) pending.push([child, depth + 1])
  }
  return false
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
