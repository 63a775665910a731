import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { cloudPathProblem } from '@page-module/wechat/storage'
import { bucketOf, cosBucketOf, fileIdOf, parseFileId } from './file-id'
import { createFileStore, type FileStore } from './file-store'
import { createRequestSigner } from './request-signer'

/** Where the emulated COS takes uploads and serves temporary URLs. */
export const COS_UPLOAD_PATH_PREFIX = '/__page-module/cos/'
export const DOWNLOAD_PATH_PREFIX = '/__page-module/storage/download/'

/** COS's POST Object limit; the emulator's default (`maxStorageFileBytes`) is smaller. */
export const DEFAULT_MAX_STORAGE_FILE_BYTES = 100 * 1024 * 1024
const TICKET_LIFETIME_SECONDS = 900
export const DEFAULT_TEMP_URL_MAX_AGE_SECONDS = 86_400

/** A failure of one file, in CloudBase's words; each surface (WeChat API, `/admin`) spells it its own way. */
export interface StorageFailure {
  readonly code: 'STORAGE_FILE_NONEXIST' | 'STORAGE_EXCEED_AUTHORITY' | 'INVALID_PARAM'
  readonly message: string
}

export interface IssuedUploadTicket {
  readonly url: string
  readonly token: string
  readonly authorization: string
  readonly fileId: string
  readonly cosFileId: string
}

/** What an upload presents: the form fields of a POST or the headers of a PUT. */
export interface UploadCredentials {
  readonly key: string | undefined
  readonly signature: string | undefined
  readonly securityToken: string | undefined
  readonly cosFileId: string | undefined
}

export type TicketCheck =
  { readonly ok: true; readonly cloudPath: string } | { readonly ok: false; readonly cosCode: string; readonly message: string }

export interface EmulatedStorage {
  readonly env: string
  readonly bucket: string
  readonly files: FileStore
  readonly maxFileBytes: number
  issueUploadTicket(
    cloudPath: unknown,
  ): { readonly ok: true; readonly ticket: IssuedUploadTicket } | ({ readonly ok: false } & StorageFailure)
  checkUpload(credentials: UploadCredentials): TicketCheck
  temporaryUrl(
    fileID: unknown,
    maxAgeSeconds?: unknown,
  ): Promise<{ readonly fileID: string; readonly tempFileURL: string; readonly maxAge: number } | StorageFailure>
  /** The cloudPath a temporary URL's path and query grant, or why they do not. */
  checkDownload(
    cloudPathInUrl: string,
    query: URLSearchParams,
  ): { readonly ok: true } | { readonly ok: false; readonly cosCode: string; readonly message: string }
  deleteFile(fileID: unknown): Promise<StorageFailure | undefined>
  /** Stores a file directly (the wx.cloud bridge's uploadFile); resolves with its file ID. */
  store(cloudPath: string, source: Readable): Promise<string>
}

export interface EmulatedStorageOptions {
  readonly env: string
  /** The emulator's data folder; files go under `<dataDir>/storage`. */
  readonly dataDir: string
  /** The emulator's url, known once it listens. */
  readonly baseUrl: () => string
  readonly maxFileBytes?: number
  readonly nowSeconds: () => number
}

/** Cloud storage of one env on the local disk: upload tickets, signed expiring download URLs, deletion. */
export function createEmulatedStorage(options: EmulatedStorageOptions): EmulatedStorage {
  const { env, nowSeconds } = options
  const bucket = bucketOf(env)
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_STORAGE_FILE_BYTES
  const files = createFileStore({ root: path.join(options.dataDir, 'storage', env), maxFileBytes })
  const signer = createRequestSigner()
  const tickets = new Map<string, { cloudPath: string; cosFileId: string; expires: number }>()

  /** The cloudPath of a file ID of this env, or the failure to report for it. */
  function cloudPathOf(fileID: unknown): { cloudPath: string } | StorageFailure {
    const parsed = parseFileId(fileID)
    if (parsed === undefined) return { code: 'INVALID_PARAM', message: `${JSON.stringify(fileID)} is not a cloud:// file ID` }
    if (parsed.env !== env || parsed.bucket !== bucket) {
      return { code: 'STORAGE_EXCEED_AUTHORITY', message: `the file belongs to env ${parsed.env}, not to ${env}` }
    }
    if (cloudPathProblem(parsed.cloudPath) !== undefined) return { code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
    return { cloudPath: parsed.cloudPath }
  }

  return {
    env,
    bucket,
    files,
    maxFileBytes,
    issueUploadTicket(cloudPath) {
      const problem = cloudPathProblem(cloudPath)
      if (problem !== undefined || typeof cloudPath !== 'string')
        return { ok: false, code: 'INVALID_PARAM', message: `path is refused: ${problem}` }
      const token = randomBytes(24).toString('hex')
      const cosFileId = randomBytes(18).toString('base64url')
      const start = nowSeconds()
      const expires = start + TICKET_LIFETIME_SECONDS
      for (const [issued, { expires: until }] of tickets) if (until < start) tickets.delete(issued)
      tickets.set(token, { cloudPath, cosFileId, expires })
      const signature = signer.sign('upload', token, cloudPath, cosFileId, expires)
      const authorization =
        `q-sign-algorithm=sha1&q-ak=AKIDlocalemulator&q-sign-time=${start};${expires}&q-key-time=${start};${expires}` +
        `&q-header-list=&q-url-param-list=&q-signature=${signature}`
      const encodedPath = cloudPath.split('/').map(encodeURIComponent).join('/')
      const url = `${options.baseUrl()}${COS_UPLOAD_PATH_PREFIX}${cosBucketOf(env)}/${encodedPath}`
      return { ok: true, ticket: { url, token, authorization, fileId: fileIdOf(env, cloudPath), cosFileId } }
    },
    checkUpload({ key, signature, securityToken, cosFileId }) {
      const ticket = securityToken === undefined ? undefined : tickets.get(securityToken)
      if (ticket === undefined) return { ok: false, cosCode: 'InvalidAccessKeyId', message: 'the x-cos-security-token was not issued here' }
      const expires = /q-sign-time=\d+;(\d+)/.exec(signature ?? '')?.[1]
      const signed = /q-signature=([0-9a-f]+)/.exec(signature ?? '')?.[1]
      if (
        expires === undefined ||
        signed === undefined ||
        !signer.verify(signed, 'upload', securityToken!, ticket.cloudPath, ticket.cosFileId, expires)
      ) {
        return { ok: false, cosCode: 'SignatureDoesNotMatch', message: 'The Signature you specified does not match the ticket' }
      }
      if (Number(expires) !== ticket.expires || nowSeconds() > ticket.expires) {
        return { ok: false, cosCode: 'AccessDenied', message: 'Request has expired' }
      }
      if (key !== ticket.cloudPath)
        return { ok: false, cosCode: 'AccessDenied', message: 'the key is not the path the ticket was issued for' }
      if (cosFileId !== ticket.cosFileId)
        return { ok: false, cosCode: 'AccessDenied', message: 'x-cos-meta-fileid does not match the ticket' }
      return { ok: true, cloudPath: ticket.cloudPath }
    },
    async temporaryUrl(fileID, maxAgeSeconds) {
      const located = cloudPathOf(fileID)
      if (!('cloudPath' in located)) return located
      if ((await files.read(located.cloudPath)) === undefined) return { code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
      const maxAge =
        typeof maxAgeSeconds === 'number' && Number.isInteger(maxAgeSeconds) && maxAgeSeconds > 0
          ? maxAgeSeconds
          : DEFAULT_TEMP_URL_MAX_AGE_SECONDS
      const expires = nowSeconds() + maxAge
      const sign = signer.sign('download', located.cloudPath, expires)
      // The path is left readable, as the service's links are; the official SDKs encodeURI it before fetching.
      const tempFileURL = `${options.baseUrl()}${DOWNLOAD_PATH_PREFIX}${env}.${bucket}/${located.cloudPath}?sign=${sign}&t=${expires}`
      return { fileID: fileID as string, tempFileURL, maxAge }
    },
    checkDownload(cloudPath, query) {
      const expires = query.get('t') ?? ''
      if (!/^\d+$/.test(expires) || !signer.verify(query.get('sign') ?? '', 'download', cloudPath, expires)) {
        return { ok: false, cosCode: 'SignatureDoesNotMatch', message: 'the link was not issued for this file' }
      }
      if (nowSeconds() > Number(expires)) return { ok: false, cosCode: 'AccessDenied', message: 'Request has expired' }
      return { ok: true }
    },
    async deleteFile(fileID) {
      const located = cloudPathOf(fileID)
      if (!('cloudPath' in located)) return located
      return (await files.remove(located.cloudPath)) ? undefined : { code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
    },
    async store(cloudPath, source) {
      await files.write(cloudPath, source)
      return fileIdOf(env, cloudPath)
    },
  }
}
