import { PageModuleError, redactSecrets, type KnownErrorCode, type TransportResponse } from '@page-module/core'

interface Mapping {
  readonly code: KnownErrorCode
  readonly retryable: boolean
  readonly hint: string
}

const FAILED: Mapping = {
  code: 'FUNCTION_FAILED',
  retryable: false,
  hint: 'the function threw or timed out — see its logs in the CloudBase console',
}
const NOT_FOUND: Mapping = {
  code: 'FUNCTION_NOT_FOUND',
  retryable: false,
  hint: "deploy the module's function to this env, or set functionName",
}
const AUTH: Mapping = {
  code: 'AUTH_FAILED',
  retryable: false,
  hint: 'check secretId/secretKey (or TENCENTCLOUD_SECRETID/SECRETKEY), their permissions, and the clock of this machine',
}
const ENV: Mapping = {
  code: 'INVALID_ENV',
  retryable: false,
  hint: 'check env (or TCB_ENV) — it must be the id of an existing CloudBase environment, e.g. my-env-1a2b',
}
const BUSY: Mapping = {
  code: 'CLOUDBASE_ERROR',
  retryable: true,
  hint: 'CloudBase is busy or failing; a call with an idempotency key is retried',
}
const OTHER: Mapping = { code: 'CLOUDBASE_ERROR', retryable: false, hint: 'see the CloudBase error code table' }

/** CloudBase's string codes (docs.cloudbase.net/error-code) and the ones the wx SDK spells differently. */
const MAPPINGS: Readonly<Record<string, Mapping>> = {
  FUNCTIONS_EXECUTE_FAIL: FAILED,
  FUNCTION_INVOCATION_FAILED: FAILED,
  FUNCTION_TIME_LIMIT_EXCEEDED: FAILED,
  FUNCTION_NOT_FOUND: NOT_FOUND,
  'ResourceNotFound.Function': NOT_FOUND,
  'ResourceNotFound.FunctionName': NOT_FOUND,
  SIGN_PARAM_INVALID: AUTH,
  PERMISSION_DENIED: AUTH,
  INVALID_CREDENTIALS: AUTH,
  'AuthFailure.SignatureFailure': AUTH,
  'AuthFailure.SecretIdNotFound': AUTH,
  'AuthFailure.SignatureExpire': AUTH,
  'AuthFailure.TokenFailure': AUTH,
  INVALID_ENV: ENV,
  INVALIID_ENV: ENV,
  ENV_NOT_EXIST: ENV,
  RESOURCE_NOT_INITIAL: ENV,
  SYS_ERR: BUSY,
  SERVER_TIMEOUT: BUSY,
  EXCEED_REQUEST_LIMIT: BUSY,
  EXCEED_CONCURRENT_REQUEST_LIMIT: BUSY,
  FUNCTIONS_REQUEST_FAIL: BUSY,
}

// CloudBase answers FUNCTIONS_EXECUTE_FAIL for a missing function too; only the message tells them apart.
const MISSING_FUNCTION = /could not be found|not ?found|not exist|不存在/i

export interface CloudBaseFailure {
  readonly code: string
  readonly message: string
  readonly requestId?: string | undefined
}

/** The PageModuleError for a CloudBase `{ code, message, requestId }` answer; the CloudBase code stays in `details`. */
export function cloudBaseFailureError(failure: CloudBaseFailure, functionName: string): PageModuleError {
  let mapping = MAPPINGS[failure.code] ?? OTHER
  if (mapping === FAILED && MISSING_FUNCTION.test(failure.message)) mapping = NOT_FOUND
  const subject = mapping === NOT_FOUND || mapping === FAILED ? `the cloud function '${functionName}'` : 'CloudBase'
  return new PageModuleError({
    code: mapping.code,
    retryable: mapping.retryable,
    requestSent: true,
    cloudRequestId: failure.requestId || undefined,
    details: { cloudbaseCode: failure.code, cloudbaseMessage: failure.message },
    message: `${subject} answered ${failure.code}: ${failure.message} — ${mapping.hint}`,
  })
}

/**
 * Reads CloudBase's answer to `functions.invokeFunction`: `{ requestId, data: { response_data } }` is the function's
 * return value (JSON, or the raw string); `{ code, message }` and anything else become a `PageModuleError`, whose
 * `details.body` quotes the answer with `secrets` removed before it is cut to 200 characters.
 */
export function readInvokeAnswer(
  status: number,
  text: string,
  functionName: string,
  secrets: ReadonlyArray<string | undefined> = [],
): TransportResponse {
  const parsed = parseJson(text)
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  const requestId = typeof record?.requestId === 'string' && record.requestId !== '' ? record.requestId : undefined
  if (record?.code) {
    const failure = { code: String(record.code), message: typeof record.message === 'string' ? record.message : '', requestId }
    if (status === 200) throw cloudBaseFailureError(failure, functionName)
  }
  if (status !== 200) {
    const retryable = status >= 500 || status === 429
    throw new PageModuleError({
      code: 'HTTP_ERROR',
      retryable,
      requestSent: true,
      cloudRequestId: requestId,
      details: { status, ...(record?.code ? { cloudbaseCode: String(record.code) } : {}), body: redactSecrets(text, secrets, 200) },
      message:
        `CloudBase answered HTTP ${status}${record === undefined ? '' : ' with JSON'} — ` +
        (retryable
          ? 'a transient failure; a call with an idempotency key is retried'
          : 'check serviceUrl and that it is a CloudBase endpoint'),
    })
  }
  const data = record?.data as Record<string, unknown> | undefined
  if (typeof data?.response_data !== 'string') {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      requestSent: true,
      cloudRequestId: requestId,
      details: { status, body: redactSecrets(text, secrets, 200) },
      message:
        text === ''
          ? 'CloudBase answered HTTP 200 with an empty body — check serviceUrl'
          : `CloudBase answered HTTP 200 with ` +
            `${record === undefined ? 'a body that is not JSON' : 'JSON without data.response_data'} — check serviceUrl`,
    })
  }
  const responseData = data.response_data
  const body = parseJson(responseData)
  return { body: body === undefined ? responseData : body, cloudRequestId: requestId }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
