import type { IncomingMessage } from 'node:http'
import busboy from 'busboy'
import { parseJsonObject, readBody } from '../../http-json'

/**
 * The `/admin` request's params: its JSON object, or its `multipart/form-data` fields (as wx-server-sdk's cloud
 * call sends them, chunked), where a part sent as `application/octet-stream` or with a file name stays bytes.
 */
export async function readAdminBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const contentType = request.headers['content-type'] ?? ''
  if (!/^multipart\/form-data\b/i.test(contentType)) return parseJsonObject(await readBody(request))
  return new Promise((resolve) => {
    const fields: Record<string, unknown> = {}
    let parser: busboy.Busboy
    try {
      // busboy hands a part as a stream (kept as bytes) when it has a file name or is application/octet-stream.
      parser = busboy({ headers: request.headers, limits: { fileSize: 8 * 1024 * 1024, fields: 64 } })
    } catch {
      resolve(undefined)
      return
    }
    parser.on('field', (name, value) => (fields[name] = value))
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => (fields[name] = Buffer.concat(chunks)))
    })
    parser.on('close', () => resolve(fields))
    parser.on('error', () => resolve(undefined))
    request.pipe(parser)
  })
}
