import { randomBytes } from 'node:crypto'

export interface WeChatReply {
  readonly errcode: number
  readonly errmsg: string
}

/** A WeChat `{ errcode, errmsg }`, with the ` rid: …` suffix WeChat appends to every error message. */
export function weChatReply(errcode: number, errmsg: string): WeChatReply {
  return { errcode, errmsg: `${errmsg} rid: ${randomBytes(6).toString('hex')}` }
}
