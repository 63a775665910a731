import { PageModuleError } from '@page-module/core'

/** What `uploadFile` takes: bytes in memory, a `Blob`, or a stream (Node `Readable`, web `ReadableStream`) read as it is sent. */
export type FileContent = Buffer | Uint8Array | Blob | AsyncIterable<Uint8Array | string>

/** Throws `INVALID_OPTIONS` unless `fileContent` is one of the kinds `uploadFile` streams. */
export function assertFileContent(fileContent: unknown): asserts fileContent is FileContent {
  if (fileContent instanceof Uint8Array || fileContent instanceof Blob) return
  if (typeof fileContent === 'object' && fileContent !== null && Symbol.asyncIterator in fileContent) return
  throw new PageModuleError({
    code: 'INVALID_OPTIONS',
    message:
      `fileContent must be a Buffer, Uint8Array, Blob or readable stream, got ` + `${fileContent === null ? 'null' : typeof fileContent}.`,
    requestSent: false,
  })
}

/** The bytes of `fileContent`, one chunk at a time: a stream is never held whole. */
export async function* chunksOf(fileContent: FileContent): AsyncGenerator<Uint8Array> {
  if (fileContent instanceof Uint8Array) {
    yield fileContent
    return
  }
  const chunks = fileContent instanceof Blob ? (fileContent.stream() as unknown as AsyncIterable<Uint8Array>) : fileContent
  for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk
}
