import { readJsonBody } from '../../http-json'
import type { EmulatedStorage, StorageFailure } from '../../storage/emulated-storage'
import type { WeChatApiEmulator } from '../wechat-api-emulator'
import type { WeChatApi } from '../wechat-api'
import { weChatReply, type WeChatReply } from '../wechat-reply'

/** The service's numeric codes, as WeChat's HTTP API reports them per file. */
const STATUS_OF: Record<StorageFailure['code'], number> = {
  INVALID_PARAM: -501003,
  STORAGE_EXCEED_AUTHORITY: -503002,
  STORAGE_FILE_NONEXIST: -503003,
}
const BATCH_LIMIT = 50

/** `tcb/uploadfile`, `tcb/batchdownloadfile` and `tcb/batchdeletefile` over the emulator's storage. */
export function serveStorageApis(wechat: Pick<WeChatApiEmulator, 'serveApi'>, storage: EmulatedStorage): void {
  /** Reads `{ env, … }`: the JSON body when it is for this env, or WeChat's error answer. */
  const withBody =
    (answer: (body: Record<string, unknown>) => Promise<object> | object): WeChatApi =>
    async ({ request }) => {
      if (request.method !== 'POST') return weChatReply(43002, 'require POST method')
      const body = await readJsonBody(request)
      if (body.empty) return weChatReply(44002, 'empty post data')
      if (!body.ok || typeof body.value !== 'object' || body.value === null) return weChatReply(47001, 'data format error')
      const fields = body.value as Record<string, unknown>
      if (fields.env !== storage.env)
        return weChatReply(-501000, `env ${String(fields.env)} not found (this emulator serves env ${storage.env})`)
      return answer(fields)
    }

  wechat.serveApi(
    '/tcb/uploadfile',
    withBody((body) => {
      const issued = storage.issueUploadTicket(body.path)
      if (!issued.ok) return weChatReply(STATUS_OF[issued.code], issued.message)
      const { url, token, authorization, fileId, cosFileId } = issued.ticket
      return { errcode: 0, errmsg: 'ok', url, token, authorization, file_id: fileId, cos_file_id: cosFileId }
    }),
  )

  wechat.serveApi(
    '/tcb/batchdownloadfile',
    withBody(async (body) => {
      const list = body.file_list
      const refusal = batchListRefusal(list, 'file_list')
      if (refusal) return refusal
      const fileList = []
      for (const item of list as Array<{ fileid?: unknown; max_age?: unknown } | null>) {
        const fileid = item?.fileid
        const link = await storage.temporaryUrl(fileid, item?.max_age)
        fileList.push(
          'tempFileURL' in link
            ? { fileid, download_url: link.tempFileURL, status: 0, errmsg: 'ok' }
            : { fileid, download_url: '', status: STATUS_OF[link.code], errmsg: link.message },
        )
      }
      return { errcode: 0, errmsg: 'ok', file_list: fileList }
    }),
  )

  wechat.serveApi(
    '/tcb/batchdeletefile',
    withBody(async (body) => {
      const list = body.fileid_list
      const refusal = batchListRefusal(list, 'fileid_list')
      if (refusal) return refusal
      const deleteList = []
      for (const fileid of list as unknown[]) {
        const failure = await storage.deleteFile(fileid)
        deleteList.push(
          failure === undefined
            ? { fileid, status: 0, errmsg: 'ok' }
            : { fileid, status: STATUS_OF[failure.code], errmsg: failure.message },
        )
      }
      return { errcode: 0, errmsg: 'ok', delete_list: deleteList }
    }),
  )
}

/** WeChat's answer to a batch list that is missing, empty or longer than BATCH_LIMIT; undefined for a good one. */
function batchListRefusal(list: unknown, field: string): WeChatReply | undefined {
  if (!Array.isArray(list) || list.length === 0) return weChatReply(40097, `invalid args: ${field}`)
  if (list.length > BATCH_LIMIT) return weChatReply(40097, `invalid args: at most ${BATCH_LIMIT} files per call`)
  return undefined
}
