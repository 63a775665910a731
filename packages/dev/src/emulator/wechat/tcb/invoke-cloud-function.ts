import { readJsonBody } from '../../http-json'
import { weChatReply } from '../wechat-reply'
import type { WeChatApi } from '../wechat-api'

/** What `/tcb/invokecloudfunction` runs. Throw an error with `code: 'FUNCTION_NOT_FOUND'` for a missing function. */
export type InvokeFunction = (name: string, event: unknown, context: { readonly appId: string; readonly env: string }) => unknown

/** `POST /tcb/invokecloudfunction?env&name`: the body is the event, `resp_data` the function's JSON-encoded result. */
export function createInvokeCloudFunctionApi(invokeFunction: InvokeFunction | undefined, onInvoke: () => void): WeChatApi {
  return async ({ url, request, appId }) => {
    if (request.method !== 'POST') return weChatReply(43002, 'require POST method')
    const env = url.searchParams.get('env') ?? ''
    const name = url.searchParams.get('name') ?? ''
    if (env === '' || name === '') return weChatReply(40101, 'missing parameter env or name')
    const body = await readJsonBody(request)
    if (body.empty) return weChatReply(44002, 'empty post data')
    if (!body.ok) return weChatReply(47001, 'data format error')
    if (invokeFunction === undefined) return weChatReply(-1, 'system error: the emulator was given no invokeFunction')
    onInvoke()
    try {
      const result = await invokeFunction(name, body.value, { appId, env })
      return { errcode: 0, errmsg: 'ok', resp_data: JSON.stringify(result ?? null) }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if ((error as { code?: unknown } | undefined)?.code === 'FUNCTION_NOT_FOUND') {
        return weChatReply(-501000, `FunctionName parameter could not be found. ${message}`)
      }
      return weChatReply(-504002, `cloud function execution error: ${message}`)
    }
  }
}
