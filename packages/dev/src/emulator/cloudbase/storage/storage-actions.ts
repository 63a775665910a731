import type { AdminAction } from '../admin/admin-handler'
import type { EmulatedStorage } from '../../storage/emulated-storage'

/**
 * The CloudBase `/admin` storage actions the official SDKs send (`@cloudbase/node-sdk` 3.17/3.18, which `wx-server-sdk`
 * 4.0.2 runs): `storage.getUploadMetadata` (then a PUT to the ticket's url), `storage.batchGetDownloadUrl`,
 * `storage.batchDeleteFile`. Per-file results carry a string `code`, `SUCCESS` when the file went well.
 */
export function createStorageActions(storage: EmulatedStorage): ReadonlyArray<readonly [string, AdminAction]> {
  const getUploadMetadata: AdminAction = async ({ body, requestId }) => {
    const issued = storage.issueUploadTicket(body.path)
    if (!issued.ok) return { code: issued.code, message: issued.message, requestId }
    const { url, token, authorization, fileId, cosFileId } = issued.ticket
    return { requestId, data: { url, token, authorization, fileId, cosFileId, download_url: '' } }
  }

  const batchGetDownloadUrl: AdminAction = async ({ body, requestId }) => {
    if (!Array.isArray(body.file_list)) return { code: 'INVALID_PARAM', message: 'file_list must be an array', requestId }
    const downloadList = []
    for (const item of body.file_list as Array<{ fileid?: unknown; max_age?: unknown } | null>) {
      const link = await storage.temporaryUrl(item?.fileid, item?.max_age)
      downloadList.push(
        'tempFileURL' in link
          ? { code: 'SUCCESS', fileID: link.fileID, tempFileURL: link.tempFileURL, maxAge: link.maxAge }
          : { code: link.code, message: link.message, fileID: item?.fileid, tempFileURL: '' },
      )
    }
    return { requestId, data: { download_list: downloadList } }
  }

  const batchDeleteFile: AdminAction = async ({ body, requestId }) => {
    if (!Array.isArray(body.fileid_list)) return { code: 'INVALID_PARAM', message: 'fileid_list must be an array', requestId }
    const deleteList = []
    for (const fileID of body.fileid_list as unknown[]) {
      const failure = await storage.deleteFile(fileID)
      deleteList.push(failure === undefined ? { code: 'SUCCESS', fileID } : { code: failure.code, message: failure.message, fileID })
    }
    return { requestId, data: { delete_list: deleteList } }
  }

  return [
    ['storage.getUploadMetadata', getUploadMetadata],
    ['storage.batchGetDownloadUrl', batchGetDownloadUrl],
    ['storage.batchDeleteFile', batchDeleteFile],
  ]
}
