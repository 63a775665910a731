import { PageModuleError, type Transport, type TransportRequest, type TransportResponse } from '@page-module/core'
import { globalWx, type CallFunctionParam, type WxLike } from './wx-cloud'
import { wxCloudErrorOf } from './wx-cloud-error'

export interface WxCloudTransportOptions {
  /** The cloud environment id for every call (`config.env`); default: the one given to `wx.cloud.init()`. */
  readonly env?: string | undefined
  /** The `wx` object; default the mini-program's global `wx`. Tests pass a fake. */
  readonly wx?: WxLike | undefined
}

/**
 * A transport over `wx.cloud.callFunction({ name, data, config: { env } })`. The platform call cannot be
 * cancelled: on timeout or abort core stops waiting, and the function may still run.
 */
export function createWxCloudTransport(options: WxCloudTransportOptions = {}): Transport {
  const env = options.env
  if (env !== undefined && (typeof env !== 'string' || env.trim() === '')) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: `env must be a non-empty environment id such as 'my-env-1a2b', got ${JSON.stringify(env)}`,
    })
  }
  return {
    name: 'wx.cloud',
    async send(request: TransportRequest): Promise<TransportResponse> {
      const cloud = cloudOf(options.wx ?? globalWx())
      const param: CallFunctionParam = { name: request.functionName, data: request.envelope as unknown as Record<string, unknown> }
      if (env !== undefined) param.config = { env }
      let answer: unknown
      try {
        answer = await cloud.callFunction(param)
      } catch (thrown) {
        throw wxCloudErrorOf(thrown, { functionName: request.functionName, env })
      }
      if (typeof answer !== 'object' || answer === null || !('result' in answer)) {
        throw new PageModuleError({
          code: 'BAD_RESPONSE',
          requestSent: true,
          message:
            `wx.cloud.callFunction resolved with ${answer === null ? 'null' : typeof answer} ` +
            `instead of { result, errMsg, requestID } — the wx.cloud in use is not the platform's (a fake or a wrapper?)`,
        })
      }
      const { result, requestID } = answer as { result: unknown; requestID?: unknown }
      return { body: result, cloudRequestId: typeof requestID === 'string' ? requestID : undefined }
    },
  }
}

function cloudOf(wx: WxLike | undefined): NonNullable<WxLike['cloud']> {
  if (wx === undefined) {
    throw new PageModuleError({
      code: 'UNSUPPORTED_RUNTIME',
      requestSent: false,
      message:
        'there is no global `wx` here — this build of PageModule is for WeChat mini-programs; ' +
        'pass `wx` in the options, or use the Node build of page-module on a server',
    })
  }
  if (wx.cloud === undefined || typeof wx.cloud.callFunction !== 'function') {
    throw new PageModuleError({
      code: 'UNSUPPORTED_RUNTIME',
      requestSent: false,
      message:
        'wx.cloud is not available — enable cloud development for this mini-program ' +
        '(base library ≥ 2.2.3) and call wx.cloud.init({ env }) in app.js onLaunch',
    })
  }
  return wx.cloud
}
