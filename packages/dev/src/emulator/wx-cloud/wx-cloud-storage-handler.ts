import { pathOf, parseJsonObject, readBody, sendJson } from '../http-json'
import { WX_CLOUD_BRIDGE_HEADER, WX_CLOUD_GET_TEMP_FILE_URL_PATH, WX_CLOUD_UPLOAD_FILE_PATH } from '../../wx-cloud-bridge/bridge-route'
import type { EmulatorHandler } from '../emulator-types'
import type { EmulatedStorage, StorageFailure } from '../storage/emulated-storage'
import { StoreRefusal } from '../storage/file-store'

const ERR_CODE_OF: Record<StorageFailure['code'], number> = {
  INVALID_PARAM: -501003,
  STORAGE_EXCEED_AUTHORITY: -503002,
  STORAGE_FILE_NONEXIST: -503003,
}

/** What `wx.cloud.uploadFile` and `wx.cloud.getTempFileURL` do inside WeChat, for the bridge: on the emulator's storage. */
export function createWxCloudStorageHandler({ storage }: { storage: EmulatedStorage }): EmulatorHandler {
  return async (request, response) => {
    const path = pathOf(request)
    if (path !== WX_CLOUD_UPLOAD_FILE_PATH && path !== WX_CLOUD_GET_TEMP_FILE_URL_PATH) return false
    const api = path === WX_CLOUD_UPLOAD_FILE_PATH ? 'uploadFile' : 'getTempFileURL'
    const fail = (errCode: number, message: string) =>
      sendJson(response, 200, { ok: false, errCode, errMsg: `cloud.${api}:fail ${message}` })
    if (request.method !== 'POST' || request.headers[WX_CLOUD_BRIDGE_HEADER] !== '1') {
      request.resume()
      sendJson(response, 403, { ok: false, errCode: -1, errMsg: `cloud.${api}:fail only the wx.cloud bridge may call this route` })
      return true
    }
    const query = new URL(request.url ?? '/', 'http://emulator.invalid').searchParams
    const env = query.get('env')
    if (env !== null && env !== '' && env !== storage.env) {
      request.resume()
      fail(-501000, `Environment invalid and please check your parameters (this emulator serves env ${storage.env})`)
      return true
    }
    if (api === 'uploadFile') {
      const issued = storage.issueUploadTicket(query.get('cloudPath') ?? '')
      if (!issued.ok) {
        request.resume()
        fail(-1, `cloudPath ${issued.message}`)
        return true
      }
      try {
        const fileID = await storage.store(query.get('cloudPath')!, request)
        sendJson(response, 200, { ok: true, fileID, statusCode: 204 })
      } catch (error) {
        if (!(error instanceof StoreRefusal)) throw error
        fail(-1, error.message)
      }
      return true
    }
    const body = parseJsonObject(await readBody(request))
    if (!body || !Array.isArray(body.fileList)) {
      fail(-1, 'parameter.fileList should be array')
      return true
    }
    const fileList = []
    for (const item of body.fileList as unknown[]) {
      const { fileID, maxAge } =
        typeof item === 'string' ? { fileID: item, maxAge: undefined } : ((item ?? {}) as { fileID?: unknown; maxAge?: unknown })
      const link = await storage.temporaryUrl(fileID, maxAge)
      fileList.push(
        'tempFileURL' in link
          ? { fileID, tempFileURL: link.tempFileURL, maxAge: link.maxAge, status: 0, errMsg: 'ok' }
          : { fileID, tempFileURL: '', maxAge, status: ERR_CODE_OF[link.code], errMsg: link.message },
      )
    }
    sendJson(response, 200, { ok: true, fileList })
    return true
  }
}
