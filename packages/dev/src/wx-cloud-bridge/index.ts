import { readFile } from 'node:fs/promises'
import { PageModuleError } from '@page-module/core'
import {
  WX_CLOUD_BRIDGE_HEADER,
  WX_CLOUD_CALL_FUNCTION_PATH,
  WX_CLOUD_GET_TEMP_FILE_URL_PATH,
  WX_CLOUD_ID_KEY,
  WX_CLOUD_OPEN_DATA_PATH,
  WX_CLOUD_UPLOAD_FILE_PATH,
} from './bridge-route'

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

/** Callbacks every `wx.cloud` API takes besides its promise. */
interface WxCallbacks<Result> {
  success?: (result: Result) => void
  fail?: (error: WxCloudError) => void
  complete?: (resultOrError: Result | WxCloudError) => void
}

export interface UploadFileParam extends WxCallbacks<UploadFileResult> {
  cloudPath: string
  /** In the mini-program a temporary file path (`wxfile://…`); here, a file of this machine. */
  filePath: string
  config?: { env?: string }
}

export interface UploadFileResult {
  fileID: string
  statusCode: number
  errMsg: 'cloud.uploadFile:ok'
}

export interface GetTempFileURLParam extends WxCallbacks<GetTempFileURLResult> {
  fileList: Array<string | { fileID: string; maxAge?: number }>
  config?: { env?: string }
}

export interface GetTempFileURLResult {
  fileList: Array<{ fileID: string; tempFileURL: string; maxAge: number; status: number; errMsg: string }>
  errMsg: 'cloud.getTempFileURL:ok'
}

/** The part of `wx.cloud` the bridge provides. */
export interface WxCloudBridge {
  init(config?: { env?: string; traceUser?: boolean }): void
  callFunction(param: CallFunctionParam): Promise<CallFunctionResult>
  /** Stores a local file in the emulator's cloud storage, as `wx.cloud.uploadFile` does. */
  uploadFile(param: UploadFileParam): Promise<UploadFileResult>
  /** Temporary links to stored files, one status per file, as `wx.cloud.getTempFileURL` gives. */
  getTempFileURL(param: GetTempFileURLParam): Promise<GetTempFileURLResult>
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

  /** POSTs to one of the bridge's storage routes; resolves with the emulator's `{ ok: true, … }` answer. */
  async function post(api: string, path: string, query: Record<string, string>, body: string | Buffer, contentType: string) {
    const search = new URLSearchParams(query)
    let response: Response
    try {
      response = await fetchImplementation(`${options.url}${path}?${search}`, {
        method: 'POST',
        headers: { 'content-type': contentType, [WX_CLOUD_BRIDGE_HEADER]: '1' },
        body,
      })
    } catch (error) {
      throw wxCloudError(-1, `cloud.${api}:fail ${(error as Error).message}`)
    }
    const answer = (await response.json().catch(() => undefined)) as
      ({ ok: true } & Record<string, unknown>) | { ok: false; errCode: number; errMsg: string } | undefined
    if (!answer) throw wxCloudError(-1, `cloud.${api}:fail the emulator answered HTTP ${response.status} without JSON`)
    if (!answer.ok) throw wxCloudError(answer.errCode, answer.errMsg)
    return answer
  }

  async function uploadFile(param: UploadFileParam): Promise<UploadFileResult> {
    if (typeof param?.cloudPath !== 'string' || typeof param.filePath !== 'string') {
      throw wxCloudError(-1, 'cloud.uploadFile:fail parameter.cloudPath and parameter.filePath should be strings')
    }
    let bytes: Buffer
    try {
      bytes = await readFile(param.filePath)
    } catch (error) {
      throw wxCloudError(-1, `cloud.uploadFile:fail ${(error as Error).message}`)
    }
    const env = param.config?.env ?? defaultEnv
    const query = { cloudPath: param.cloudPath, ...(env === undefined ? {} : { env }) }
    const answer = await post('uploadFile', WX_CLOUD_UPLOAD_FILE_PATH, query, bytes, 'application/octet-stream')
    return { fileID: answer.fileID as string, statusCode: answer.statusCode as number, errMsg: 'cloud.uploadFile:ok' }
  }

  async function getTempFileURL(param: GetTempFileURLParam): Promise<GetTempFileURLResult> {
    if (!Array.isArray(param?.fileList)) throw wxCloudError(-1, 'cloud.getTempFileURL:fail parameter.fileList should be array')
    const env = param.config?.env ?? defaultEnv
    const body = JSON.stringify({ fileList: param.fileList })
    const answer = await post('getTempFileURL', WX_CLOUD_GET_TEMP_FILE_URL_PATH, env === undefined ? {} : { env }, body, 'application/json')
    return { fileList: answer.fileList as GetTempFileURLResult['fileList'], errMsg: 'cloud.getTempFileURL:ok' }
  }

  return {
    init(config) {
      defaultEnv = config?.env
    },
    callFunction: (param) => settle(call(param), param),
    uploadFile: (param) => settle(uploadFile(param), param),
    getTempFileURL: (param) => settle(getTempFileURL(param), param),
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

/** Calls `success`/`fail` and then `complete`, as wx APIs do, and returns the promise. */
function settle<Result>(promise: Promise<Result>, callbacks: WxCallbacks<Result> | undefined): Promise<Result> {
  promise.then(
    (result) => {
      callbacks?.success?.(result)
      callbacks?.complete?.(result)
    },
    (error: WxCloudError) => {
      callbacks?.fail?.(error)
      callbacks?.complete?.(error)
    },
  )
  return promise
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
    refuse(
      `url ${JSON.stringify(options.url)} is not the emulator's http URL ` + `— pass the url startEmulator gave (http://127.0.0.1:<port>)`,
    )
  }
  for (const name of ['openid', 'appid'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '')
      refuse(`${name} must be a non-empty string: the mini-program user the calls are made as`)
  }
}

export { createWxLoginBridge, type WxLoginBridge, type LoginResult, type UserProfileResult } from './wx-login-bridge'
