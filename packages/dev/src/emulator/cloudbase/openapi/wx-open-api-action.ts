import { parse } from 'lossless-json'
import type { AdminAction, AdminActionRequest, AdminBytesAnswer } from '../admin/admin-handler'
import type { OpenApiFile, OpenApiService } from '../../wechat/openapi/open-api-service'
import { API_TYPE, commApiData, commOpenApiResp, getOpenDataRequest, getOpenDataResponse, type CommApiData } from './cloud-call-schema'
import type { OpenDataStore } from './open-data-store'

export interface CloudCallOptions {
  readonly service: OpenApiService
  readonly openData: OpenDataStore
  /** `permissions.openapi` of a function. */
  readonly permissionsOf: (functionName: string) => ReadonlySet<string>
  /** The app cloud calls act for when `CommApiData.appid` names none. */
  readonly appId: string
}

const PROTOBUF = 'application/octet-stream'

/** The platform's errors a cloud call answers with `CommOpenApiResp.errorCode` alone. */
export const CLOUD_CALL_ERRORS = { apiNotFound: -604100, noPermission: -604101, illegalSource: -604104 } as const

/**
 * `/admin` `wx.openApi`: the protobuf cloud call of wx-server-sdk 4.x (`cloud.openapi.*`, `cloud.getOpenData`). Checks the
 * calling function's `permissions.openapi`, runs the API on the WeChat side and answers a `CommOpenApiResp`, HTTP 200.
 */
export function createWxOpenApiAction(options: CloudCallOptions): AdminAction {
  return async (request) => {
    const { body, requestId } = request
    const requestData = body['requestData']
    if (!Buffer.isBuffer(requestData)) return { code: 'INVALID_PARAM', message: 'requestData must be a protobuf part', requestId }
    let message: CommApiData
    try {
      message = commApiData.decode(requestData)
    } catch {
      return { code: 'INVALID_PARAM', message: 'requestData is not a CommApiData', requestId }
    }
    if (request.via === undefined) return errorReply(CLOUD_CALL_ERRORS.illegalSource)
    if (message.apiType === API_TYPE.SVRKIT_API) return svrkitReply(message, request, options)
    if (message.apiType !== API_TYPE.OPEN_API) return errorReply(CLOUD_CALL_ERRORS.apiNotFound)
    const apiName = typeof body['apiName'] === 'string' ? body['apiName'] : ''
    const api = options.service.apis.get(apiName)
    if (!api) return errorReply(CLOUD_CALL_ERRORS.apiNotFound)
    if (!options.permissionsOf(request.via).has(apiName)) return errorReply(CLOUD_CALL_ERRORS.noPermission)
    const params: Record<string, unknown> = {}
    const files: Record<string, OpenApiFile> = {}
    for (const pair of message.openapiData?.pairs ?? []) {
      const value = Buffer.from(pair.value)
      if (pair.filename)
        files[pair.key] = { contentType: pair.contenttype || contentTypeOf(pair.filename), body: value, fileName: pair.filename }
      else params[pair.key] = parseValue(value)
    }
    const reply = await api({ appId: message.appid || options.appId, params, files })
    return bytes(commOpenApiResp.encode({ respData: reply.body, contentType: reply.contentType, httpCode: 200 }))
  }
}

/** `/admin` `wx.api`: the deprecated JSON cloud call (`cloud.callOpenAPI`), same APIs and permissions. */
export function createWxApiAction(options: CloudCallOptions): AdminAction {
  return async ({ body, requestId, via }) => {
    const apiName = typeof body['apiName'] === 'string' ? body['apiName'] : ''
    const api = options.service.apis.get(apiName)
    if (via === undefined) return { code: 'INVALID_REQUEST_SOURCE', message: 'cloud call is only for cloud functions', requestId }
    if (!api) return { code: 'INVALID_PARAM', message: `api ${apiName} not found (${CLOUD_CALL_ERRORS.apiNotFound})`, requestId }
    if (!options.permissionsOf(via).has(apiName))
      return {
        code: 'INVALID_PARAM',
        message: `function has no permission to call this API (${CLOUD_CALL_ERRORS.noPermission})`,
        requestId,
      }
    let params: Record<string, unknown> = {}
    try {
      params =
        typeof body['requestData'] === 'string' && body['requestData'] !== '' ? (JSON.parse(body['requestData']) as typeof params) : {}
    } catch {
      return { code: 'INVALID_PARAM', message: 'requestData is not JSON', requestId }
    }
    const reply = await api({ appId: options.appId, params, files: {} })
    return { data: { responseData: reply.body.toString(/json/.test(reply.contentType) ? 'utf8' : 'base64') }, requestId }
  }
}

function svrkitReply(message: CommApiData, request: AdminActionRequest, options: CloudCallOptions): AdminBytesAnswer {
  if (message.svrkitData?.apiName !== 'ApiGetOpenDataByCloudId') return errorReply(CLOUD_CALL_ERRORS.apiNotFound)
  const { cloudidList } = getOpenDataRequest.decode(message.svrkitData.reqData ?? new Uint8Array())
  const dataList: Array<{ cloudId: string; json: string }> = []
  for (const cloudID of cloudidList) {
    const found = options.openData.resolve(cloudID, { openid: request.inheritedIdentity?.openid })
    if ('errCode' in found) return errorReply(found.errCode)
    dataList.push({ cloudId: cloudID, json: JSON.stringify({ cloudID, data: found.data }) })
  }
  return bytes(commOpenApiResp.encode({ respData: getOpenDataResponse.encode({ dataList }), httpCode: 200 }))
}

function errorReply(errorCode: number): AdminBytesAnswer {
  return bytes(commOpenApiResp.encode({ errorCode }))
}

function bytes(body: Buffer): AdminBytesAnswer {
  return { contentType: PROTOBUF, bytes: body }
}

/** A pair's JSON value; big integers stay exact as decimal strings. */
function parseValue(value: Buffer): unknown {
  try {
    return parse(value.toString('utf8'), null, (digits) =>
      Number.isSafeInteger(Number(digits)) || !/^-?\d+$/.test(digits) ? Number(digits) : digits,
    )
  } catch {
    return value.toString('utf8')
  }
}

const TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
}

/** wx-server-sdk never sends a part's content type (round2-spec §7.1): the file name's extension tells it. */
function contentTypeOf(fileName: string): string {
  return TYPES[fileName.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream'
}
