/** The part of `wx.cloud.callFunction`'s parameter we send (promise form: no callbacks). */
export interface CallFunctionParam {
  name: string
  data?: Record<string, unknown>
  config?: { env?: string }
}

/**
 * What `wx.cloud.callFunction` resolves with. miniprogram-api-typings omits `requestID`, which the docs list
 * (base library ≥ 2.3.0).
 */
export interface CallFunctionResult {
  result?: unknown
  errMsg?: string
  requestID?: string
}

/** What it rejects with: the typings have `errMsg` only; the client also sets a numeric `errCode`. */
export interface CallFunctionFailure {
  errCode?: number
  errMsg?: string
  message?: string
}

/** The part of `wx.cloud` the transport uses; the real `wx.cloud` fits (checked in official-typings.ts). */
export interface WxCloudLike {
  callFunction(param: CallFunctionParam): Promise<CallFunctionResult>
}

/** The part of `wx` the transport uses. */
export interface WxLike {
  readonly cloud?: WxCloudLike | undefined
}

// Declared here, not taken from miniprogram-api-typings' globals, so this file also compiles next to @types/node.
declare const wx: unknown

/** The mini-program's global `wx`, read at call time; undefined anywhere else. */
export function globalWx(): WxLike | undefined {
  return typeof wx === 'undefined' ? undefined : (wx as WxLike)
}
