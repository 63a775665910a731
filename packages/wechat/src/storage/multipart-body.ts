import { randomBytes } from 'node:crypto'

/** The file part of a form: always sent last, read chunk by chunk. */
export interface MultipartFile {
  readonly fieldName: string
  readonly fileName: string
  readonly contentType: string
  readonly chunks: AsyncIterable<Uint8Array>
}

export interface MultipartBody {
  /** `multipart/form-data; boundary=…` */
  readonly contentType: string
  /** Pulled by fetch: the next file chunk is read only when the previous one has been sent. */
  readonly body: ReadableStream<Uint8Array>
}

/**
 * A `multipart/form-data` body whose file part streams: `FormData` needs the file as a `Blob` (in memory or on disk),
 * which a stream is not. Names are escaped as the HTML standard's form encoder does (`"` CR LF percent-encoded).
 */
export function multipartBody(fields: ReadonlyArray<readonly [string, string]>, file: MultipartFile): MultipartBody {
  const boundary = `----PageModuleFormBoundary${randomBytes(12).toString('hex')}`
  const head = fields
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`)
    .join('')
  const fileHead =
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(file.fieldName)}"; filename="${escapeName(file.fileName)}"\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(head + fileHead)
    for await (const chunk of file.chunks) if (chunk.byteLength > 0) yield chunk
    yield Buffer.from(`\r\n--${boundary}--\r\n`)
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: pullStream(parts()) }
}

function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A web stream that reads `chunks` only when its consumer asks for more (back-pressure, nothing read ahead). */
export function pullStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel(reason) {
      await chunks.return(reason)
    },
  })
}
