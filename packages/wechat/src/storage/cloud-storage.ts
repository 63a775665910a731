import { PageModuleError, type AbortSignalLike } from '@page-module/core'
import { envOfOption } from '@page-module/core/current-env'
import { lookup } from 'mime-types'
import { requestAndRead, type FetchFunction } from '../client/request-json'
import { createWeChatClient, type WeChatClient, type WeChatClientOptions } from '../client/wechat-client'
import type { AccessTokenProvider } from '../tokens/with-access-token'
import { assertCloudPath } from './cloud-path'
import { postCosForm, type UploadTicket } from './cos-form-upload'
import { assertFileContent, chunksOf, type FileContent } from './file-source'

/** `env`: the env id, or `cloud.DYNAMIC_CURRENT_ENV` for the env of the cloud function this runs in (refused outside one). */
export type CloudStorageOptions =
  | { readonly env: string | symbol; readonly appId: string; readonly appSecret: string }
  | { readonly env: string | symbol; readonly tokens: AccessTokenProvider }

export interface CloudStorageTransportOptions {
  /** Replaces `https://api.weixin.qq.com` (a fixed-egress proxy, the local emulator). */
  readonly apiBaseUrl?: string
  readonly fetch?: FetchFunction
  /** Milliseconds one WeChat API call may take. Default 10 000. */
  readonly timeout?: number
  /** Milliseconds one file upload or download may take. Default 600 000. */
  readonly transferTimeout?: number
}

export interface UploadFileOptions {
  /** Where the file goes, e.g. `avatars/u-1001.png`: no leading `/`, no `..`. */
  readonly cloudPath: string
  readonly fileContent: FileContent
  /** Default: from the file name's extension (`application/octet-stream` when it has none known). */
  readonly contentType?: string
  readonly signal?: AbortSignalLike
}

export interface UploadFileResult {
  /** `cloud://<env>.<bucket>/<cloudPath>` */
  readonly fileID: string
  /** COS's answer: 204, or 200/201. */
  readonly statusCode: number
  readonly errMsg: 'uploadFile:ok'
}

/** A file ID (the link lives `DEFAULT_MAX_AGE_SECONDS`), or one with its own lifetime in seconds. */
export type TempFileRequest = string | { readonly fileID: string; readonly maxAge?: number }

export interface TempFileURL {
  readonly fileID: string
  /** `''` when `status` is not 0. */
  readonly tempFileURL: string
  /** 0, or the service's code for this file: -503003 (no such file), -503002 (another env's file) … */
  readonly status: number
  readonly errMsg: string
  readonly maxAge: number
}

export interface DeletedFile {
  readonly fileID: string
  readonly status: number
  readonly errMsg: string
}

/** The storage part of `wx-server-sdk`'s `cloud`, over WeChat's HTTP API: same names, same result shapes. */
export interface CloudStorage {
  readonly env: string
  /** Asks `tcb/uploadfile` for a ticket, then streams the file to COS in a form POST. */
  uploadFile(options: UploadFileOptions): Promise<UploadFileResult>
  /** Temporary HTTPS links; lists over 50 go in several calls. A file that fails has its own `status`. */
  getTempFileURL(options: {
    readonly fileList: readonly TempFileRequest[]
  }): Promise<{ fileList: TempFileURL[]; errMsg: 'getTempFileURL:ok' }>
  /** The file's bytes, through a temporary link. */
  downloadFile(options: { readonly fileID: string; readonly signal?: AbortSignalLike }): Promise<{
    fileContent: Buffer
    statusCode: number
    errMsg: 'downloadFile:ok'
  }>
  /** Deletes files; lists over 50 go in several calls. A file that fails has its own `status`. */
  deleteFile(options: { readonly fileList: readonly string[] }): Promise<{ fileList: DeletedFile[]; errMsg: 'deleteFile:ok' }>
}

/** The codes storage adds to core's open `PageModuleErrorCode` union (besides `INVALID_OPTIONS` and the client's). */
export type StorageErrorCode = 'STORAGE_UPLOAD_FAILED' | 'STORAGE_DOWNLOAD_FAILED' | 'STORAGE_FILE_NONEXIST'

/** WeChat's limit for `tcb/batchdownloadfile` and `tcb/batchdeletefile`. */
export const STORAGE_BATCH_SIZE = 50
export const DEFAULT_MAX_AGE_SECONDS = 7200
const DEFAULT_TRANSFER_TIMEOUT_MS = 600_000

interface WireTempFile {
  readonly fileid: string
  readonly download_url?: string
  readonly status?: number
  readonly errmsg?: string
}

interface WireDeletedFile {
  readonly fileid: string
  readonly status?: number
  readonly errmsg?: string
}

/**
 * Cloud storage over WeChat's HTTP API (`tcb/uploadfile`, `tcb/batchdownloadfile`, `tcb/batchdeletefile`), through the
 * shared WeChat client: for a Node server outside CloudBase that holds the mini-program's AppID and AppSecret.
 */
export function createCloudStorage(options: CloudStorageOptions, transport: CloudStorageTransportOptions = {}): CloudStorage {
  const env = envOfOption(options?.env, process.env)
  if (typeof env !== 'string' || env === '') {
    const message = 'env must be the cloud environment id (云开发 → 设置 → 环境 ID).'
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message })
  }
  const transferTimeout = transport.transferTimeout ?? DEFAULT_TRANSFER_TIMEOUT_MS
  if (!Number.isInteger(transferTimeout) || transferTimeout <= 0) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: `transferTimeout must be a positive number of milliseconds, got ${String(transferTimeout)}.`,
    })
  }
  const fetch = transport.fetch ?? globalThis.fetch
  const shared = {
    ...(transport.apiBaseUrl === undefined ? {} : { apiBaseUrl: transport.apiBaseUrl }),
    ...(transport.timeout === undefined ? {} : { timeout: transport.timeout }),
    fetch,
  }
  const clientOptions: WeChatClientOptions =
    'tokens' in options ? { tokens: options.tokens, ...shared } : { appId: options.appId, appSecret: options.appSecret, ...shared }
  const client: WeChatClient = createWeChatClient(clientOptions)

  async function getTempFileURL({ fileList }: { readonly fileList: readonly TempFileRequest[] }) {
    const wanted = tempFileRequests(fileList)
    const results: TempFileURL[] = []
    for (const batch of batches(wanted)) {
      const answer = await client.call<{ file_list?: WireTempFile[] }>({
        path: '/tcb/batchdownloadfile',
        body: { env, file_list: batch.map(({ fileID, maxAge }) => ({ fileid: fileID, max_age: maxAge })) },
        during: 'getting temporary file URLs',
      })
      const maxAgeOf = new Map(batch.map(({ fileID, maxAge }) => [fileID, maxAge]))
      for (const file of answer.file_list ?? []) {
        const status = file.status ?? 0
        results.push({
          fileID: file.fileid,
          tempFileURL: status === 0 ? (file.download_url ?? '') : '',
          status,
          errMsg: file.errmsg ?? (status === 0 ? 'ok' : ''),
          maxAge: maxAgeOf.get(file.fileid) ?? DEFAULT_MAX_AGE_SECONDS,
        })
      }
    }
    return { fileList: results, errMsg: 'getTempFileURL:ok' as const }
  }

  return {
    env,
    async uploadFile({ cloudPath, fileContent, contentType, signal }) {
      assertCloudPath(cloudPath)
      assertFileContent(fileContent)
      const type = contentType ?? (lookup(cloudPath) || 'application/octet-stream')
      const ticket = await client.call<UploadTicket>({
        path: '/tcb/uploadfile',
        body: { env, path: cloudPath },
        during: `getting an upload ticket for ${JSON.stringify(cloudPath)}`,
        ...(signal === undefined ? {} : { signal }),
      })
      const statusCode = await postCosForm({
        ticket,
        cloudPath,
        contentType: type,
        chunks: chunksOf(fileContent),
        fetch,
        timeoutMs: transferTimeout,
        signal,
      })
      return { fileID: ticket.file_id, statusCode, errMsg: 'uploadFile:ok' }
    },
    getTempFileURL,
    async downloadFile({ fileID, signal }) {
      if (typeof fileID !== 'string' || fileID === '') {
        throw new PageModuleError({ code: 'INVALID_OPTIONS', message: 'fileID must be a cloud:// file ID.', requestSent: false })
      }
      const [link] = (await getTempFileURL({ fileList: [{ fileID, maxAge: 600 }] })).fileList
      if (link === undefined || link.status !== 0) {
        throw new PageModuleError({
          code: link?.status === -503003 ? 'STORAGE_FILE_NONEXIST' : 'STORAGE_DOWNLOAD_FAILED',
          message:
            `${fileID} could not be downloaded: ${link?.status ?? 'no answer'} ${link?.errMsg ?? ''} ` + `— check the file ID and its env.`,
          requestSent: true,
          details: { fileID, status: link?.status ?? null },
        })
      }
      const fileContent = await requestAndRead(
        {
          url: link.tempFileURL,
          method: 'GET',
          headers: { accept: '*/*' },
          timeoutMs: transferTimeout,
          signal,
          fetch,
          endpoint: 'the temporary file URL',
        },
        (status) => status === 200,
        async (response) => Buffer.from(await response.arrayBuffer()),
      )
      return { fileContent, statusCode: 200, errMsg: 'downloadFile:ok' }
    },
    async deleteFile({ fileList }) {
      assertFileIds(fileList)
      const results: DeletedFile[] = []
      for (const batch of batches(fileList)) {
        const answer = await client.call<{ delete_list?: WireDeletedFile[] }>({
          path: '/tcb/batchdeletefile',
          body: { env, fileid_list: batch },
          during: 'deleting files',
        })
        for (const file of answer.delete_list ?? []) {
          const status = file.status ?? 0
          results.push({ fileID: file.fileid, status, errMsg: file.errmsg ?? (status === 0 ? 'ok' : '') })
        }
      }
      return { fileList: results, errMsg: 'deleteFile:ok' }
    },
  }
}

function batches<Item>(items: readonly Item[]): Item[][] {
  const result: Item[][] = []
  for (let start = 0; start < items.length; start += STORAGE_BATCH_SIZE) result.push(items.slice(start, start + STORAGE_BATCH_SIZE))
  return result
}

function tempFileRequests(fileList: readonly TempFileRequest[]): Array<{ fileID: string; maxAge: number }> {
  if (!Array.isArray(fileList)) refuse('fileList must be an array of file IDs or { fileID, maxAge }.')
  return fileList.map((file, index) => {
    const { fileID, maxAge = DEFAULT_MAX_AGE_SECONDS } = typeof file === 'string' ? { fileID: file } : (file ?? { fileID: undefined })
    if (typeof fileID !== 'string' || fileID === '') refuse(`fileList[${index}] has no fileID (a cloud:// file ID).`)
    if (!Number.isInteger(maxAge) || maxAge <= 0) refuse(`fileList[${index}].maxAge must be a positive whole number of seconds.`)
    return { fileID, maxAge }
  })
}

function assertFileIds(fileList: readonly string[]): void {
  if (!Array.isArray(fileList)) refuse('fileList must be an array of file IDs.')
  fileList.forEach((fileID, index) => {
    if (typeof fileID !== 'string' || fileID === '') refuse(`fileList[${index}] must be a cloud:// file ID.`)
  })
}

function refuse(message: string): never {
  throw new PageModuleError({ code: 'INVALID_OPTIONS', message, requestSent: false })
}
