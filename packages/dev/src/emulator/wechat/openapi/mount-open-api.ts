import { parseJsonObject, pathOf, readBody, sendJson } from '../../http-json'
import type { Emulator } from '../../start-emulator'
import { WX_CLOUD_BRIDGE_HEADER, WX_CLOUD_ID_KEY, WX_CLOUD_OPEN_DATA_PATH } from '../../../wx-cloud-bridge/bridge-route'
import { openApiPermissionsOf } from '../../cloudbase/openapi/function-permissions'
import { createOpenDataStore, type OpenDataStore } from '../../cloudbase/openapi/open-data-store'
import { createWxApiAction, createWxOpenApiAction } from '../../cloudbase/openapi/wx-open-api-action'
import type { MountedWeChatApi } from '../mount-wechat-api'
import { createMessagePush, type MessagePush, type MessagePushRoute } from '../message-push/message-push'
import { createOpenApiService, type OpenApiService, type OpenApiServiceOptions } from './open-api-service'
import { serveOpenApis } from './serve-open-apis'

export interface OpenApiMountOptions extends OpenApiServiceOptions {
  /** The console's message-push setting in cloud-function mode: `<MsgType, Event>` → function. */
  readonly messagePush?: readonly MessagePushRoute[]
}

export interface MountedOpenApi {
  /** The WeChat side: `sent` messages, `setSensitiveWords`, `mintPhoneNumberCode`. */
  readonly service: OpenApiService
  /** cloudIDs of open data (the wx.cloud bridge mints them with `openData`). */
  readonly openData: OpenDataStore
  /** Pushes a user's message or event into the function configured for it. */
  readonly messagePush: MessagePush
}

/**
 * Open APIs on the emulator: over HTTPS behind an access_token (`wechat.serveApi`), and by cloud call from functions
 * (`/admin` `wx.openApi` and `wx.api`, `permissions.openapi` enforced), open data by cloudID, and message push.
 */
export function mountOpenApi(
  emulator: Pick<Emulator, 'functionsDir' | 'mount' | 'mountAdminAction' | 'invokeFunction' | 'transformWxCloudData'>,
  wechat: Pick<MountedWeChatApi, 'wechat' | 'appId'>,
  options: OpenApiMountOptions = {},
): MountedOpenApi {
  const service = createOpenApiService(options)
  const openData = createOpenDataStore(options.nowSeconds)
  serveOpenApis(wechat.wechat, service)
  const cloudCall = {
    service,
    openData,
    appId: wechat.appId,
    permissionsOf: (functionName: string) => openApiPermissionsOf(emulator.functionsDir, functionName),
  }
  emulator.mountAdminAction('wx.openApi', createWxOpenApiAction(cloudCall))
  emulator.mountAdminAction('wx.api', createWxApiAction(cloudCall))
  emulator.mount(async (request, response) => {
    if (pathOf(request) !== WX_CLOUD_OPEN_DATA_PATH) return false
    const body =
      request.method === 'POST' && request.headers[WX_CLOUD_BRIDGE_HEADER] === '1' ? parseJsonObject(await readBody(request)) : undefined
    const { openid, appid, data } = body ?? {}
    if (typeof openid !== 'string' || typeof appid !== 'string' || typeof data !== 'object' || data === null || Array.isArray(data)) {
      sendJson(response, 400, { errCode: -1, errMsg: 'openData:fail the wx.cloud bridge sends { openid, appid, data }' })
      return true
    }
    sendJson(response, 200, { cloudID: openData.mint({ openid, appid }, data as Record<string, unknown>) })
    return true
  })
  // The platform replaces a top-level wx.cloud.CloudID of callFunction data with { cloudID, data } (or its error).
  emulator.transformWxCloudData((data, identity) => {
    const replaced: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(data)) {
      const cloudID = (value as Record<string, unknown> | null)?.[WX_CLOUD_ID_KEY]
      if (typeof cloudID !== 'string') replaced[key] = value
      else {
        const found = openData.resolve(cloudID, { openid: identity.openid })
        replaced[key] = 'data' in found ? { cloudID, data: found.data } : { cloudID, errCode: found.errCode, errMsg: 'invalid cloudID' }
      }
    }
    return replaced
  })
  const messagePush = createMessagePush({
    routes: options.messagePush ?? [],
    appId: wechat.appId,
    invoke: emulator.invokeFunction,
    onDeliver: (message) => service.noteUserMessage(wechat.appId, message.FromUserName),
    ...(options.nowSeconds ? { nowSeconds: options.nowSeconds } : {}),
  })
  return { service, openData, messagePush }
}
