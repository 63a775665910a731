import { pathOf, parseJsonObject, readBody, sendJson } from '../http-json'
import { WX_CLOUD_BRIDGE_HEADER, WX_CLOUD_CALL_FUNCTION_PATH } from '../../wx-cloud-bridge/bridge-route'
import type { CallerIdentity, EmulatorHandler, InvokeEmulatedFunction } from '../emulator-types'

/**
 * What `wx.cloud.callFunction` does inside WeChat, for mini-program tests: runs the function as the given
 * openid/appid and answers `{ ok, result, requestID }` or the wx error `{ ok: false, errCode, errMsg }`.
 */
/** Rewrites the data of a `wx.cloud.callFunction` before the function runs, as the platform replaces `wx.cloud.CloudID`s. */
export type WxCloudDataTransform = (data: Record<string, unknown>, identity: CallerIdentity) => Record<string, unknown>

export function createWxCloudHandler({
  env,
  invoke,
  transforms = [],
  refused,
}: {
  env: string
  invoke: InvokeEmulatedFunction
  transforms?: readonly WxCloudDataTransform[]
  /** Told of each call refused before a function ran (`POST <route>`, the reason). */
  refused?: (request: string, reason: string) => void
}): EmulatorHandler {
  return async (request, response) => {
    if (pathOf(request) !== WX_CLOUD_CALL_FUNCTION_PATH) return false
    const route = `${request.method ?? '?'} ${WX_CLOUD_CALL_FUNCTION_PATH}`
    const fail = (errCode: number, message: string) => {
      sendJson(response, 200, { ok: false, errCode, errMsg: `cloud.callFunction:fail ${message}` })
      refused?.(route, `${errCode}: ${message}`)
    }
    if (request.method !== 'POST' || request.headers[WX_CLOUD_BRIDGE_HEADER] !== '1') {
      sendJson(response, 403, { ok: false, errCode: -1, errMsg: 'cloud.callFunction:fail only the wx.cloud bridge may call this route' })
      refused?.(route, `403: not a POST with the bridge's ${WX_CLOUD_BRIDGE_HEADER} header`)
      return true
    }
    // DNS rebinding: a web page whose name now points at 127.0.0.1 sends its own name as Host and its Origin.
    if (!isLoopbackHost(request.headers.host) || (request.headers.origin !== undefined && !isLoopbackOrigin(request.headers.origin))) {
      sendJson(response, 403, {
        ok: false,
        errCode: -1,
        errMsg: 'cloud.callFunction:fail the bridge route answers only loopback hosts (127.0.0.1, localhost, [::1]) and no other origin',
      })
      const origin = request.headers.origin === undefined ? '' : `, Origin ${request.headers.origin.slice(0, 200)}`
      refused?.(route, `403: not a loopback Host or Origin (Host ${String(request.headers.host).slice(0, 200)}${origin})`)
      return true
    }
    const body = parseJsonObject(await readBody(request))
    if (!body || typeof body.name !== 'string' || body.name === '') {
      fail(-1, 'parameter.name should be string')
      return true
    }
    if (body.data !== undefined && (typeof body.data !== 'object' || body.data === null || Array.isArray(body.data))) {
      fail(-1, `parameter.data should be object instead of ${Array.isArray(body.data) ? 'array' : typeof body.data}`)
      return true
    }
    if (body.env !== undefined && body.env !== env) {
      fail(-501000, `Environment invalid and please check your parameters (this emulator serves env ${env})`)
      return true
    }
    const identity: CallerIdentity = {
      ...stringField(body, 'openid'),
      ...stringField(body, 'appid'),
      ...stringField(body, 'unionid'),
      source: 'wx_client',
    }
    let data = (body.data ?? {}) as Record<string, unknown>
    for (const transform of transforms) data = transform(data, identity)
    // WeChat adds the caller to the event of a mini-program call.
    const event = {
      ...data,
      userInfo: { appId: identity.appid ?? '', openId: identity.openid ?? '' },
    }
    const outcome = await invoke(body.name, event, identity)
    if (outcome.ok) {
      sendJson(response, 200, { ok: true, result: outcome.result, requestID: outcome.requestId })
    } else {
      const serviceCode = outcome.reason === 'not-found' ? -501000 : -504002
      fail(-404011, `requestID ${outcome.requestId}, cloud function service error code ${serviceCode}, error message ${outcome.message}`)
    }
    return true
  }
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return false
  try {
    return LOOPBACK_NAMES.has(new URL(`http://${host}`).hostname.toLowerCase())
  } catch {
    return false
  }
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname.toLowerCase())
  } catch {
    return false
  }
}

function stringField(body: Record<string, unknown>, name: 'openid' | 'appid' | 'unionid'): Partial<CallerIdentity> {
  const value = body[name]
  return typeof value === 'string' && value !== '' ? { [name]: value } : {}
}
