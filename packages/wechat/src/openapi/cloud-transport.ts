import { PageModuleError } from '@page-module/core'
import type { WeChatBinaryAnswer } from '../client/wechat-client'
import { weChatApiError } from '../client/wechat-errors'
import type { WireParams } from './field-convert'
import { extensionOf } from './https-transport'

/** The part of wx-server-sdk's `cloud` this package uses (`require('wx-server-sdk')`, after `cloud.init`). */
export interface WxServerSdkCloud {
  openapi(options: { convertCase?: boolean; appid?: string }): unknown
  getOpenData(options: { list: readonly string[] }): Promise<{ list: Array<{ cloudID: string; data?: unknown }> }>
  getWXContext?(): Record<string, unknown>
}

/**
 * Sends one open-API call through wx-server-sdk's cloud call, wire names as they are (`convertCase: false`), so results
 * match HTTPS exactly: file parts keep their name and an extension naming their type, big integers stay exact.
 */
export async function callOverCloud(
  cloud: WxServerSdkCloud,
  appid: string | undefined,
  cloudName: string,
  wire: WireParams,
): Promise<Record<string, unknown> | WeChatBinaryAnswer> {
  const [namespace = '', method = ''] = cloudName.split('.')
  const proxy = cloud.openapi({ convertCase: false, ...(appid ? { appid } : {}) }) as Record<
    string,
    Record<string, (data: Record<string, unknown>) => Promise<Record<string, unknown>>>
  >
  const data: Record<string, unknown> = { ...wire.body, ...wire.query }
  for (const [part, media] of Object.entries(wire.media)) {
    data[part] = {
      contentType: media.contentType,
      value: Buffer.from(media.value),
      fileName: media.fileName ?? `${part}.${extensionOf(media.contentType)}`,
    }
  }
  let answer: Record<string, unknown>
  try {
    answer = await proxy[namespace]![method]!(data)
  } catch (error) {
    throw cloudCallError(error, cloudName, appid ?? appIdOf(cloud))
  }
  const { errMsg: _errMsg, errCode: _errCode, ...rest } = answer
  if (Buffer.isBuffer(rest['buffer']) && typeof rest['contentType'] === 'string')
    return { contentType: rest['contentType'], buffer: rest['buffer'] }
  return rest
}

/** What a failed cloud call becomes: WeChat errcodes as over HTTPS, the platform's (-6041xx…) with advice. */
export function cloudCallError(error: unknown, cloudName: string, appId: string): PageModuleError {
  const { errCode, errMsg } = (error ?? {}) as { errCode?: unknown; errMsg?: unknown }
  const message = typeof errMsg === 'string' ? errMsg : String((error as Error | undefined)?.message ?? error)
  if (typeof errCode === 'number' && errCode > 0) {
    const errmsg = message.replace(/^openapi\.[\w.]+:fail /, '')
    return weChatApiError({ errcode: errCode, errmsg }, { appId, during: `calling ${cloudName} by cloud call` })
  }
  if (errCode === -604101) {
    return new PageModuleError({
      code: 'OPENAPI_PERMISSION_DENIED',
      message:
        `the function may not call ${cloudName} (-604101) — add "${cloudName}" to permissions.openapi in its config.json ` +
        `and upload it again.`,
      requestSent: true,
      details: { errCode },
    })
  }
  return new PageModuleError({
    code: 'CLOUD_CALL_FAILED',
    message:
      `the cloud call ${cloudName} failed (${typeof errCode === 'number' ? errCode : 'no code'}: ${message}) ` +
      `— check that it runs inside a cloud function after cloud.init.`,
    requestSent: true,
    retryable: errCode === -501001 || errCode === -604102 || errCode === -604103,
    details: typeof errCode === 'number' ? { errCode } : undefined,
  })
}

/** The app the function runs for (`APPID` of its WX context), for error messages. */
export function appIdOf(cloud: WxServerSdkCloud): string {
  const appId = cloud.getWXContext?.()['APPID']
  return typeof appId === 'string' && appId !== '' ? appId : 'the function’s app'
}
