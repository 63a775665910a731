import protobuf from 'protobufjs'

/** wx-server-sdk 4.x's cloud-call messages, as its generated encoders write them (no .proto ships with it). */
const PROTO = `
syntax = "proto3";
message KeyValuePair { string key = 1; bytes value = 2; string contenttype = 3; string filename = 4; }
message OpenApiData { repeated KeyValuePair pairs = 1; }
message SvrkitApiData { string apiName = 1; bytes reqData = 2; }
message CommApiData { int32 apiType = 1; OpenApiData openapiData = 2; SvrkitApiData svrkitData = 4; string appid = 6; }
message HttpHeader { string key = 1; string value = 2; }
message CommOpenApiResp {
  bytes respData = 1; string contentType = 2; int32 errorCode = 3; uint32 httpCode = 4;
  repeated HttpHeader headers = 5; int32 svrkitErrorCode = 6;
}
message ApiGetOpenDataByCloudIdReq { repeated string cloudidList = 2; string appid = 3; }
message OpDataItem { string cloudId = 1; string json = 2; }
message ApiGetOpenDataByCloudIdResp { repeated OpDataItem dataList = 1; }
`

const root = protobuf.parse(PROTO, { keepCase: true }).root

export const API_TYPE = { OPEN_API: 0, SVRKIT_API: 2 } as const

export interface KeyValuePair {
  key: string
  value: Uint8Array
  contenttype?: string
  filename?: string
}

export interface CommApiData {
  apiType: number
  openapiData?: { pairs?: KeyValuePair[] }
  svrkitData?: { apiName?: string; reqData?: Uint8Array }
  appid?: string
}

export interface CommOpenApiResp {
  respData?: Uint8Array
  contentType?: string
  errorCode?: number
  httpCode?: number
  svrkitErrorCode?: number
}

function codec<Message extends object>(name: string) {
  const type = root.lookupType(name)
  return {
    decode: (bytes: Uint8Array) => type.toObject(type.decode(bytes), { defaults: true }) as Message,
    encode: (message: Message) => Buffer.from(type.encode(type.fromObject(message)).finish()),
  }
}

export const commApiData = codec<CommApiData>('CommApiData')
export const commOpenApiResp = codec<CommOpenApiResp>('CommOpenApiResp')
export const getOpenDataRequest = codec<{ cloudidList: string[]; appid?: string }>('ApiGetOpenDataByCloudIdReq')
export const getOpenDataResponse = codec<{ dataList: Array<{ cloudId: string; json: string }> }>('ApiGetOpenDataByCloudIdResp')
