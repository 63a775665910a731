import type { WeChatBinaryAnswer, WeChatClient } from '../client/wechat-client'
import type { ApiDefinition } from './api-table'
import type { WireParams } from './field-convert'

/** Sends one open-API call over HTTPS through the shared client: JSON body, or multipart when it carries files. */
export async function callOverHttps(
  client: WeChatClient,
  name: string,
  definition: ApiDefinition,
  wire: WireParams,
): Promise<Record<string, unknown> | WeChatBinaryAnswer> {
  const request = {
    path: definition.path,
    method: definition.method,
    query: wire.query,
    body: definition.method === 'GET' ? undefined : bodyOf(wire),
    during: `calling ${name}`,
    exactIntegers: true,
  }
  return definition.answer === 'binary' ? client.callBinary(request) : client.call(request)
}

function bodyOf(wire: WireParams): unknown {
  const files = Object.entries(wire.media)
  if (files.length === 0) return wire.body
  const form = new FormData()
  for (const [key, value] of Object.entries(wire.body)) form.append(key, typeof value === 'string' ? value : JSON.stringify(value))
  for (const [part, media] of files) {
    form.append(part, new Blob([media.value], { type: media.contentType }), media.fileName ?? `${part}.${extensionOf(media.contentType)}`)
  }
  return form
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
}

/** The file extension WeChat reads a media type from (the cloud-call path sends no Content-Type for a part). */
export function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin'
}
