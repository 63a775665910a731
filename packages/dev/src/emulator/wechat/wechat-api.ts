import type { IncomingMessage } from 'node:http'

/** One call of a WeChat API whose access_token the emulator has already accepted. */
export interface WeChatApiCall {
  readonly url: URL
  readonly request: IncomingMessage
  /** The app the access_token was issued to. */
  readonly appId: string
}

/** Bytes answered as they are (wxacode images, media), instead of JSON. */
export interface WeChatBinaryReply {
  readonly contentType: string
  readonly body: Buffer
}

/**
 * An emulated WeChat API behind an access_token (`/tcb/databasequery`, `/wxa/getwxacode` …): resolves with the JSON
 * answer (`{ errcode, errmsg, … }`) or bytes. Mount one with `wechat.serveApi(path, api)`.
 */
export type WeChatApi = (call: WeChatApiCall) => Promise<object | WeChatBinaryReply>

export function isBinaryReply(answer: object | WeChatBinaryReply): answer is WeChatBinaryReply {
  return Buffer.isBuffer((answer as { body?: unknown }).body) && typeof (answer as { contentType?: unknown }).contentType === 'string'
}
