import { PageModuleError, type PageModuleErrorCode } from '@page-module/core'
import type { CallFunctionFailure } from './wx-cloud'

/** The call a failure belongs to, for the message. */
export interface FailureContext {
  readonly functionName: string
  readonly env: string | undefined
}

/** The facts in a `cloud.callFunction:fail …` message. */
export interface WxCloudFailure {
  /** The client's code: `-404011` when the function ran and failed, `-501xxx` from the cloud service, `-1` generic. */
  readonly errCode: number | undefined
  /** The cloud service's own code inside the message (`cloud function service error code -504002`). */
  readonly serviceCode: number | undefined
  /** The invocation's id (`requestID …`): present only when the cloud handled the request. */
  readonly requestID: string | undefined
  /** The text after `error message` (what the function threw), or the whole errMsg. */
  readonly detail: string
}

/** Reads a `wx.cloud.callFunction` rejection: an `{ errCode, errMsg }` object or an Error carrying them. */
export function parseWxCloudFailure(thrown: unknown): WxCloudFailure {
  const failure: CallFunctionFailure =
    typeof thrown === 'object' && thrown !== null ? (thrown as CallFunctionFailure) : { message: String(thrown) }
  const errMsg = typeof failure.errMsg === 'string' ? failure.errMsg : typeof failure.message === 'string' ? failure.message : ''
  const serviceCode = /service error code (-?\d+)/.exec(errMsg)
  const requestID = /requestID ([\w-]+)/.exec(errMsg)
  const userMessage = /error message ([\s\S]*?)(?:; at cloud\.callFunction api;?)?$/.exec(errMsg)
  return {
    errCode: typeof failure.errCode === 'number' ? failure.errCode : undefined,
    serviceCode: serviceCode ? Number(serviceCode[1]) : undefined,
    requestID: requestID ? requestID[1] : undefined,
    detail: userMessage ? (userMessage[1] ?? '').trim() : errMsg.replace(/^cloud\.callFunction:fail\s*/, '') || 'no message',
  }
}

/** Maps a `wx.cloud.callFunction` rejection to the PageModuleError it stands for (see the package README's table). */
export function wxCloudErrorOf(thrown: unknown, context: FailureContext): PageModuleError {
  const failure = parseWxCloudFailure(thrown)
  const mapped = classify(failure, context)
  return new PageModuleError({
    ...mapped,
    cloudRequestId: failure.requestID,
    // A requestID or a service code means the cloud handled the request; otherwise nobody can tell.
    requestSent: failure.requestID !== undefined || failure.serviceCode !== undefined ? true : undefined,
    details: dropUndefined({ errCode: failure.errCode, serviceCode: failure.serviceCode }),
    cause: thrown,
  })
}

interface Classified {
  code: PageModuleErrorCode
  retryable: boolean
  message: string
}

function classify(failure: WxCloudFailure, context: FailureContext): Classified {
  const { errCode, serviceCode, detail } = failure
  const name = `'${context.functionName}'`
  const env = context.env === undefined ? 'the env of wx.cloud.init()' : `env '${context.env}'`
  const ticket = failure.requestID === undefined ? '' : ` (requestID ${failure.requestID})`
  if (/FunctionName parameter could not be found/i.test(detail)) {
    return {
      code: 'FUNCTION_NOT_FOUND',
      retryable: false,
      message:
        `no cloud function ${name} in ${env} — deploy the module's function (cloudfunctions/${context.functionName}), ` +
        `or set functionName to the name it was deployed under`,
    }
  }
  if (errCode === -501005 || serviceCode === -501005 || /Environment invalid|env not exists/i.test(detail)) {
    return {
      code: 'INVALID_ENV',
      retryable: false,
      message:
        `${env} is not a cloud environment this mini-program can use (${detail}) — ` +
        `pass the env id shown in the cloud console as \`env\`, or fix wx.cloud.init({ env }) in app.js`,
    }
  }
  if (serviceCode === -504002 || (errCode === -404011 && serviceCode === undefined)) {
    return {
      code: 'FUNCTION_FAILED',
      retryable: false,
      message: `the cloud function ${name} threw: ${detail} — see its logs in the cloud console${ticket}`,
    }
  }
  if (errCode === undefined) {
    return {
      code: 'NETWORK',
      retryable: true,
      message:
        `wx.cloud.callFunction failed before the cloud answered (${detail}) — check the network, ` +
        `and that wx.cloud.init() runs in app.js onLaunch`,
    }
  }
  if (errCode === -1) {
    return {
      code: 'WX_CLOUD_ERROR',
      retryable: true,
      message: `wx.cloud answered the generic error -1 (${detail}) — try again; if it persists, check the cloud console${ticket}`,
    }
  }
  const code = serviceCode === undefined ? String(errCode) : `${errCode}/${serviceCode}`
  return {
    code: 'WX_CLOUD_ERROR',
    retryable: false,
    message: `wx.cloud.callFunction failed with ${code}: ${detail} — look the code up in the wx.cloud error-code reference${ticket}`,
  }
}

function dropUndefined(record: Record<string, number | undefined>): Record<string, number> {
  const result: Record<string, number> = {}
  for (const key of Object.keys(record)) {
    const value = record[key]
    if (value !== undefined) result[key] = value
  }
  return result
}
