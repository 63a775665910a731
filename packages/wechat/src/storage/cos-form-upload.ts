import { PageModuleError, type AbortSignalLike } from '@page-module/core'
import { requestAndRead, type FetchFunction } from '../client/request-json'
import { multipartBody } from './multipart-body'

/** What `tcb/uploadfile` answers: where and with what to POST the file. */
export interface UploadTicket {
  readonly url: string
  readonly token: string
  readonly authorization: string
  readonly file_id: string
  readonly cos_file_id: string
}

export interface CosFormUpload {
  readonly ticket: UploadTicket
  /** The `path` the ticket was asked for; COS's `key`. */
  readonly cloudPath: string
  readonly contentType: string
  readonly chunks: AsyncIterable<Uint8Array>
  readonly fetch: FetchFunction
  readonly timeoutMs: number
  readonly signal?: AbortSignalLike | undefined
}

/**
 * The second step of an upload: the COS form POST to the ticket's URL (not WeChat's API, so no access_token), with
 * `key`, `Signature`, `x-cos-security-token`, `x-cos-meta-fileid` and the file last. COS answers 204 (or 200/201),
 * and an XML `<Error>` otherwise. Resolves with the status.
 */
export async function postCosForm(upload: CosFormUpload): Promise<number> {
  const { ticket } = upload
  const { contentType, body } = multipartBody(
    [
      ['key', upload.cloudPath],
      ['Signature', ticket.authorization],
      ['x-cos-security-token', ticket.token],
      ['x-cos-meta-fileid', ticket.cos_file_id],
      ['Content-Type', upload.contentType],
    ],
    {
      fieldName: 'file',
      fileName: upload.cloudPath.split('/').pop() ?? upload.cloudPath,
      contentType: upload.contentType,
      chunks: upload.chunks,
    },
  )
  const answer = await requestAndRead(
    {
      url: ticket.url,
      method: 'POST',
      body,
      headers: { 'content-type': contentType, accept: 'application/xml' },
      timeoutMs: upload.timeoutMs,
      signal: upload.signal,
      fetch: upload.fetch,
      endpoint: 'the COS upload URL',
    },
    () => true,
    async (response) => ({ status: response.status, text: await response.text() }),
  )
  if (answer.status >= 200 && answer.status < 300) return answer.status
  const code = xmlElement(answer.text, 'Code') ?? `HTTP ${answer.status}`
  const message = xmlElement(answer.text, 'Message') ?? ''
  throw new PageModuleError({
    code: 'STORAGE_UPLOAD_FAILED',
    message:
      `COS refused the upload of ${JSON.stringify(upload.cloudPath)}: ${code}${message ? ` (${message})` : ''} — ` +
      'an expired or reused ticket or a file over the size limit are the usual causes; upload again.',
    requestSent: true,
    retryable: answer.status >= 500,
    details: { status: answer.status, cosCode: code, cosMessage: message },
  })
}

/** The text of the first `<name>` element of COS's flat `<Error>` document. */
function xmlElement(xml: string, name: 'Code' | 'Message'): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)
  return match?.[1]?.trim()
}
