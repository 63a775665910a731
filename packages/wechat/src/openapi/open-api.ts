import { PageModuleError } from '@page-module/core'
import type { FetchFunction } from '../client/request-json'
import { createWeChatClient, type WeChatBinaryAnswer, type WeChatClient, type WeChatClientOptions } from '../client/wechat-client'
import { OPEN_APIS, type AnswerKind, type ApiDefinition, type OpenApiTable } from './api-table'
import { fromWire, toWire } from './field-convert'
import type { FieldMap, ParamsOf } from './field-spec'
import { appIdOf, callOverCloud, cloudCallError, type WxServerSdkCloud } from './cloud-transport'
import { callOverHttps } from './https-transport'

type HasRequired<M extends FieldMap> = { [K in keyof M]: M[K]['optional'] extends false ? K : never }[keyof M] extends never ? false : true

type ResultOf<Response extends FieldMap, Answer extends AnswerKind> = Answer extends 'binary' ? WeChatBinaryAnswer : ParamsOf<Response>

/** One typed open-API method: camelCase parameters in, camelCase result out. */
export type OpenApiMethod<Definition> =
  Definition extends ApiDefinition<infer Request, infer Response, infer Answer>
    ? (
        ...params: HasRequired<Request> extends true ? [params: ParamsOf<Request>] : [params?: ParamsOf<Request>]
      ) => Promise<ResultOf<Response, Answer>>
    : never

export interface OpenDataItem {
  readonly cloudID: string
  /** The open data (WeRun steps, a phone number…) with its `watermark`. */
  readonly data: unknown
}

/** `openapi.<namespace>.<method>(params)` for every API of the table, plus open data by cloudID (cloud call only). */
export type OpenApi = {
  readonly [Namespace in keyof OpenApiTable]: {
    readonly [Method in keyof OpenApiTable[Namespace]]: OpenApiMethod<OpenApiTable[Namespace][Method]>
  }
} & {
  /** Inside a cloud function: the open data behind cloudIDs a mini-program sent (`wx.cloud.CloudID`). */
  getOpenData(params: { list: readonly string[] }): Promise<{ list: OpenDataItem[] }>
}

/** Over HTTPS with an access_token: the credentials or token provider `createWeChatClient` takes, or a client. */
export type OpenApiHttpsSource = WeChatClientOptions | { readonly client: WeChatClient }

/** Transport options over HTTPS (they may also be given in the first argument, as `createWeChatClient` takes them). */
export interface OpenApiOptions {
  /** Replaces `https://api.weixin.qq.com` (a fixed-egress proxy, the local emulator). */
  readonly apiBaseUrl?: string
  readonly fetch?: FetchFunction
  /** Milliseconds one call may take. Default 10 000. */
  readonly timeout?: number
}

function definedOptions(options: OpenApiOptions): OpenApiOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined))
}

/** Inside a cloud function: wx-server-sdk's `cloud` (after `cloud.init`); `appid` calls on behalf of another app. */
export interface OpenApiCloudSource {
  readonly cloud: WxServerSdkCloud
  readonly appid?: string
}

/**
 * The open APIs of the table, typed and camelCase in and out, over HTTPS through the shared WeChat client or, given
 * `{ cloud }`, by cloud call inside a cloud function — with the same results either way.
 */
export function createOpenApi(source: OpenApiHttpsSource | OpenApiCloudSource, options: OpenApiOptions = {}): OpenApi {
  if (typeof source !== 'object' || source === null)
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'createOpenApi takes { appId, appSecret }, { tokens }, { client } or { cloud }.',
    })
  const cloud = 'cloud' in source ? source : undefined
  if (cloud && typeof (cloud.cloud as Partial<WxServerSdkCloud> | undefined)?.openapi !== 'function')
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: "cloud must be wx-server-sdk's cloud: require('wx-server-sdk'), then cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV }).",
    })
  const client = cloud
    ? undefined
    : 'client' in source
      ? source.client
      : createWeChatClient({ ...(source as WeChatClientOptions), ...definedOptions(options) })

  async function call(name: string, definition: ApiDefinition, params: Record<string, unknown> = {}): Promise<unknown> {
    if (typeof params !== 'object' || params === null)
      throw new PageModuleError({ code: 'INVALID_OPTIONS', message: `${name} takes one object of parameters.`, requestSent: false })
    const wire = toWire(definition.request, params, name)
    for (const [key, value] of Object.entries(definition.defaults ?? {})) if (!(key in wire.body)) wire.body[key] = value
    if (definition.answer === 'token') {
      if (!client) throw notByCloudCall(name)
      return { accessToken: await client.tokens.getAccessToken() }
    }
    let answer: Record<string, unknown> | WeChatBinaryAnswer
    if (cloud) {
      if (!definition.cloudName) throw notByCloudCall(name)
      answer = await callOverCloud(cloud.cloud, cloud.appid, definition.cloudName, wire)
    } else {
      answer = await callOverHttps(client!, name, definition, wire)
    }
    if (definition.answer === 'binary') {
      if ('buffer' in answer && Buffer.isBuffer(answer.buffer)) return answer
      throw new PageModuleError({
        code: 'BAD_RESPONSE',
        message: `${name} answered JSON without an error where an image or a file was expected — check apiBaseUrl.`,
        requestSent: true,
      })
    }
    return fromWire(definition.response, answer as Record<string, unknown>)
  }

  const openapi: Record<string, unknown> = {}
  for (const [namespace, methods] of Object.entries(OPEN_APIS)) {
    const bound: Record<string, unknown> = {}
    for (const [method, definition] of Object.entries(methods as Record<string, ApiDefinition>)) {
      bound[method] = (params?: Record<string, unknown>) => call(`${namespace}.${method}`, definition, params)
    }
    openapi[namespace] = Object.freeze(bound)
  }
  openapi.getOpenData = async ({ list }: { list: readonly string[] }) => {
    if (!cloud) throw notByHttps('getOpenData')
    if (!Array.isArray(list) || list.length === 0 || !list.every((id) => typeof id === 'string' && id !== ''))
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        message: 'getOpenData: list must be a non-empty array of cloudIDs.',
        requestSent: false,
      })
    try {
      const { list: items } = await cloud.cloud.getOpenData({ list })
      return { list: items.map(({ cloudID, data }) => ({ cloudID, data })) }
    } catch (error) {
      throw cloudCallError(error, 'getOpenData', cloud.appid ?? appIdOf(cloud.cloud))
    }
  }
  return Object.freeze(openapi) as OpenApi
}

function notByCloudCall(name: string): PageModuleError {
  return new PageModuleError({
    code: 'NOT_SUPPORTED',
    message: `${name} has no cloud call — create the open API with { appId, appSecret } or { tokens } to call it over HTTPS.`,
    requestSent: false,
  })
}

function notByHttps(name: string): PageModuleError {
  return new PageModuleError({
    code: 'NOT_SUPPORTED',
    message: `${name} works by cloud call only — call it inside a cloud function with createOpenApi({ cloud }).`,
    requestSent: false,
  })
}
