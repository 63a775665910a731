import type { IncomingMessage } from 'node:http'
import busboy from 'busboy'
import { readBody } from '../../http-json'
import type { WeChatApiEmulator } from '../wechat-api-emulator'
import { weChatReply } from '../wechat-reply'
import type { OpenApiFile, OpenApiService } from './open-api-service'
import { OPEN_API_PATHS } from './open-api-paths'

/** Serves every API of the service at its HTTPS path behind an access_token: JSON bodies, or multipart with file parts. */
export function serveOpenApis(wechat: Pick<WeChatApiEmulator, 'serveApi'>, service: OpenApiService): void {
  for (const [name, api] of service.apis) {
    const route = OPEN_API_PATHS[name]
    if (!route) continue
    wechat.serveApi(route.path, async ({ url, request, appId }) => {
      if (request.method !== route.method) return weChatReply(43001, `require ${route.method} method`)
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams)
      delete params['access_token']
      const files: Record<string, OpenApiFile> = {}
      if (route.method === 'POST') {
        const body = await readHttpsBody(request, files)
        if (body === undefined) return weChatReply(47001, 'data format error')
        // WeChat refuses a token repeated in the body.
        if ('access_token' in body) return weChatReply(47001, 'data format error: access_token belongs in the query only')
        Object.assign(params, body)
      }
      return api({ appId, params, files })
    })
  }
}

async function readHttpsBody(request: IncomingMessage, files: Record<string, OpenApiFile>): Promise<Record<string, unknown> | undefined> {
  if (/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) return readMultipart(request, files)
  const text = await readBody(request)
  if (text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function readMultipart(request: IncomingMessage, files: Record<string, OpenApiFile>): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const fields: Record<string, unknown> = {}
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: request.headers, limits: { fileSize: 10 * 1024 * 1024 } })
    } catch {
      resolve(undefined)
      return
    }
    parser.on('field', (name, value) => (fields[name] = value))
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => (files[name] = { contentType: info.mimeType, body: Buffer.concat(chunks), fileName: info.filename ?? name }))
    })
    parser.on('close', () => resolve(fields))
    parser.on('error', () => resolve(undefined))
    request.pipe(parser)
  })
}
