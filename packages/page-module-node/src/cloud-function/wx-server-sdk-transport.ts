import { envOfOption } from '@page-module/core/current-env'
import { PageModuleError, type Transport, type TransportRequest, type TransportResponse } from '@page-module/core'
import { cloudBaseFailureError } from '../cloudbase/cloudbase-answer'

/** The part of wx-server-sdk's `cloud` object this transport uses (after `cloud.init(...)`). */
export interface WxServerSdkCloud {
  callFunction(param: { name: string; data?: object; config?: { env?: string }; timeout?: number }): Promise<WxCallFunctionResult> | void
}

export interface WxCallFunctionResult {
  readonly result?: unknown
  readonly requestID?: string
  readonly errMsg?: string
}

export interface WxServerSdkTransportOptions {
  /** Calls functions of another env than the one `cloud.init` chose (`cloud.DYNAMIC_CURRENT_ENV`: this function's own). */
  readonly env?: string | symbol | undefined
}

/** wx-server-sdk's TCB_ERR_CODE numbers, back to CloudBase's string codes. */
const CLOUDBASE_CODES: Readonly<Record<string, string>> = {
  '-501001': 'SYS_ERR',
  '-501002': 'SERVER_TIMEOUT',
  '-501003': 'EXCEED_REQUEST_LIMIT',
  '-501004': 'EXCEED_CONCURRENT_REQUEST_LIMIT',
  '-501005': 'INVALID_ENV',
  '-501006': 'INVALID_COMMON_PARAM',
  '-501007': 'INVALID_PARAM',
  '-501009': 'RESOURCE_NOT_INITIAL',
  '-504001': 'FUNCTIONS_REQUEST_FAIL',
  '-504002': 'FUNCTIONS_EXECUTE_FAIL',
  '-404011': 'FUNCTIONS_EXECUTE_FAIL',
}

const SYSTEM_ERROR_CODE = /^E[A-Z]+$/
const NEVER_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN)\b/

/**
 * A transport over wx-server-sdk's `cloud.callFunction`, for code that already runs in a cloud function with
 * `cloud.init()`. Its errors (`errCode`/`errMsg`, the CloudBase `code` underneath) map to the same codes as the HTTP transport's.
 */
export function createWxServerSdkTransport(cloud: WxServerSdkCloud, options: WxServerSdkTransportOptions = {}): Transport {
  if (typeof cloud?.callFunction !== 'function') {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: "cloud must be wx-server-sdk's cloud object (require('wx-server-sdk'), after cloud.init())",
    })
  }
  const env = envOfOption(options.env, process.env)
  if (env !== undefined && (typeof env !== 'string' || env === '')) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: `env must be a non-empty env id or cloud.DYNAMIC_CURRENT_ENV, got ${typeof env}`,
    })
  }
  return {
    name: 'wx-server-sdk',
    async send(request: TransportRequest): Promise<TransportResponse> {
      let answer: WxCallFunctionResult | void
      try {
        answer = await cloud.callFunction({
          name: request.functionName,
          data: request.envelope,
          timeout: request.timeout,
          ...(env === undefined ? {} : { config: { env } }),
        })
      } catch (thrown) {
        throw wxErrorOf(thrown, request.functionName)
      }
      if (typeof answer !== 'object' || answer === null) {
        throw new PageModuleError({
          code: 'BAD_RESPONSE',
          requestSent: true,
          message: 'cloud.callFunction resolved with nothing — is cloud a wx-server-sdk instance?',
        })
      }
      return { body: answer.result, cloudRequestId: answer.requestID || undefined }
    },
  }
}

function wxErrorOf(thrown: unknown, functionName: string): PageModuleError {
  const error = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as Record<string, unknown>
  const errCode = typeof error.errCode === 'number' ? error.errCode : undefined
  const errMsg = typeof error.errMsg === 'string' ? error.errMsg : thrown instanceof Error ? thrown.message : String(thrown)
  const requestId = [error.requestID, error.requestId].find((value): value is string => typeof value === 'string' && value !== '')
  // node-sdk 3.x throws, so wx-server-sdk reports errCode -1 and keeps the code underneath: CloudBase's
  // (FUNCTIONS_EXECUTE_FAIL) or Node's errno (ECONNREFUSED), told apart by the underscore.
  const systemCode = typeof error.code === 'string' && SYSTEM_ERROR_CODE.test(error.code) ? error.code : undefined
  const cloudbaseCode = typeof error.code === 'string' && systemCode === undefined ? error.code : CLOUDBASE_CODES[String(errCode)]
  if (cloudbaseCode !== undefined && systemCode === undefined) {
    const mapped = cloudBaseFailureError(
      {
        code: cloudbaseCode,
        message: typeof error.message === 'string' && error.message !== '' ? stripPrefix(error.message) : stripPrefix(errMsg),
        requestId,
      },
      functionName,
    )
    return PageModuleError.from(mapped, { details: { ...mapped.details, errCode: errCode ?? null, errMsg }, cause: thrown })
  }
  const neverLeft = NEVER_CONNECTED.test(systemCode ?? errMsg)
  return new PageModuleError({
    code: neverLeft ? 'NETWORK' : 'WX_CLOUD_ERROR',
    retryable: neverLeft,
    requestSent: neverLeft ? false : undefined,
    cloudRequestId: requestId,
    details: { errCode: errCode ?? null, errMsg, ...(systemCode === undefined ? {} : { errno: systemCode }) },
    cause: thrown,
    message:
      `cloud.callFunction('${functionName}') failed: ` +
      `${errMsg}${neverLeft ? ' — nothing was sent; check cloud.init({ env }) and the network' : ''}`,
  })
}

function stripPrefix(message: string): string {
  return message.replace(/^callFunction:fail /, '')
}
