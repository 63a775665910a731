import { PageModuleError } from '@page-module/core'
import { WX_CLOUD_BRIDGE_HEADER, WX_CLOUD_CALL_FUNCTION_PATH, WX_CLOUD_ID_KEY, WX_CLOUD_OPEN_DATA_PATH } from './bridge-route'

export { WX_CLOUD_CALL_FUNCTION_PATH, WX_CLOUD_ID_KEY } from './bridge-route'

export interface WxCloudBridgeOptions {
  /** The emulator's url, `http://127.0.0.1:<port>`. */
  readonly url: string
  /** The mini-program user the calls are made as. */
  readonly openid: string
  readonly appid: string
  readonly unionid?: string
  /** Default: the global `fetch` (Node 18+). */
  readonly fetch?: typeof fetch
}

export interface CallFunctionParam {
  name: string
  data?: Record<string, unknown>
  config?: { env?: string; traceUser?: boolean }
  success?: (result: CallFunctionResult) => void
  fail?: (error: WxCloudError) => void
  complete?: (resultOrError: CallFunctionResult | WxCloudError) => void
}

export interface CallFunctionResult {
  result: unknown
  errMsg: 'cloud.callFunction:ok'
  requestID: string
}

/** What `wx.cloud.callFunction` fails with: an error carrying WeChat's `errCode` and `errMsg`. */
export interface WxCloudError extends Error {
  errCode: number
  errMsg: string
}

/** The part of `wx.cloud` the bridge provides. */
export interface WxCloudBridge {
  init(config?: { env?: string; traceUser?: boolean }): void
  callFunction(param: CallFunctionParam): Promise<CallFunctionResult>
  /**
   * Open data for this user as a cloudID, as `wx.getWeRunData()` and the like give one: a function passes it to
   * `cloud.getOpenData({ list })` and gets `data` back with its watermark. Needs the emulator's open APIs (`mountOpenApi`).
   */
  openData(data: Record<string, unknown>): Promise<{ cloudID: string }>
  /**
   * `wx.cloud.CloudID(cloudID)`: put one at the top level of callFunction `data` and the function receives
   * `{ cloudID, data }` there instead (nested ones are left as they are, as on the platform).
   */
  CloudID(cloudID: string): WxCloudID
}

/** What `wx.cloud.CloudID` returns, as the bridge sends it. */
export interface WxCloudID {
  readonly [WX_CLOUD_ID_KEY]: string
}

/**
 * A stand-in for `wx.cloud` in mini-program tests run by Node: `callFunction` reaches a local emulator's
 * functions as the given openid/appid and resolves or rejects exactly like `wx.cloud.callFunction`.
 * Use it as `{ cloud: createWxCloudBridge({ url, openid, appid }) }` wherever code takes `wx`.
 */
export function createWxCloudBridge(options: WxCloudBridgeOptions): WxCloudBridge {
  assertBridgeOptions(options)
  const fetchImplementation = options.fetch ?? globalThis.fetch
  let defaultEnv: string | undefined

  async function call(param: CallFunctionParam): Promise<CallFunctionResult> {
    if (typeof param?.name !== 'string' || param.name === '') {
      throw wxCloudError(-1, 'cloud.callFunction:fail parameter.name should be a non-empty string')
    }
    let response: Response
    try {
      response = await fetchImplementation(`${options.url}${WX_CLOUD_CALL_FUNCTION_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WX_CLOUD_BRIDGE_HEADER]: '1' },
        body: JSON.stringify({
          name: param.name,
          data: param.data,
          env: param.config?.env ?? defaultEnv,
          openid: options.openid,
          appid: options.appid,
          unionid: options.unionid,
        }),
      })
    } catch (error) {
      throw wxCloudError(-1, `cloud.callFunction:fail ${(error as Error).message}`)
    }
    const answer = (await response.json().catch(() => undefined)) as
      { ok: true; result: unknown; requestID: string } | { ok: false; errCode: number; errMsg: string } | undefined
    if (!answer) throw wxCloudError(-1, `cloud.callFunction:fail the emulator answered HTTP ${response.status} without JSON`)
    if (!answer.ok) throw wxCloudError(answer.errCode, answer.errMsg)
    return { result: answer.result, errMsg: 'cloud.callFunction:ok', requestID: answer.requestID }
  }

  return {
    init(config) {
      defaultEnv = config?.env
    },
    callFunction(param) {
      const promise = call(param)
      promise.then(
        (result) => {
          param.success?.(result)
          param.complete?.(result)
        },
        (error: WxCloudError) => {
          param.fail?.(error)
          param.complete?.(error)
        },
      )
      return promise
    },
    CloudID(cloudID) {
      if (typeof cloudID !== 'string' || cloudID === '') throw wxCloudError(-1, 'CloudID:fail cloudID should be a non-empty string')
      return { [WX_CLOUD_ID_KEY]: cloudID }
    },
    async openData(data) {
      const response = await fetchImplementation(`${options.url}${WX_CLOUD_OPEN_DATA_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WX_CLOUD_BRIDGE_HEADER]: '1' },
        body: JSON.stringify({ openid: options.openid, appid: options.appid, data }),
      })
      const answer = (await response.json().catch(() => undefined)) as { cloudID?: string; errMsg?: string } | undefined
      if (!answer?.cloudID) throw wxCloudError(-1, answer?.errMsg ?? `openData:fail the emulator answered HTTP ${response.status}`)
      return { cloudID: answer.cloudID }
    },
  }
}

function wxCloudError(errCode: number, errMsg: string): WxCloudError {
  return Object.assign(new Error(errMsg), { errCode, errMsg })
}

function assertBridgeOptions(options: WxCloudBridgeOptions): void {
  const refuse = (message: string): never => {
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message })
  }
  if (typeof options !== 'object' || options === null) refuse('createWxCloudBridge needs { url, openid, appid }')
  let url: URL | undefined
  try {
    url = new URL(options.url)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    refuse(`url ${JSON.stringify(options.url)} is not the emulator's http URL — pass the url startEmulator gave (http://127.0.0.1:<port>)`)
  }
  for (const name of ['openid', 'appid'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '')
      refuse(`${name} must be a non-empty string: the mini-program user the calls are made as`)
  }
}
