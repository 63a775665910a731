import { XMLParser } from 'fast-xml-parser'
import { pushError } from './push-errors'

interface PushMessageBase {
  /** The account the message was sent to (gh_… or the AppID). */
  readonly ToUserName: string
  /** The sender's openid. */
  readonly FromUserName: string
  /** Seconds. */
  readonly CreateTime: number
  /** Other fields, as WeChat sent them (strings in XML mode). */
  readonly [field: string]: unknown
}

export interface TextMessage extends PushMessageBase {
  readonly MsgType: 'text'
  readonly Content: string
  readonly MsgId: string
}
export interface ImageMessage extends PushMessageBase {
  readonly MsgType: 'image'
  readonly PicUrl: string
  readonly MediaId: string
  readonly MsgId: string
}
export interface VoiceMessage extends PushMessageBase {
  readonly MsgType: 'voice'
  readonly MediaId: string
  readonly Format: string
  readonly MsgId: string
}
export interface VideoMessage extends PushMessageBase {
  readonly MsgType: 'video' | 'shortvideo'
  readonly MediaId: string
  readonly ThumbMediaId: string
  readonly MsgId: string
}
export interface LocationMessage extends PushMessageBase {
  readonly MsgType: 'location'
  readonly Location_X: string
  readonly Location_Y: string
  readonly Scale: string
  readonly Label: string
  readonly MsgId: string
}
export interface LinkMessage extends PushMessageBase {
  readonly MsgType: 'link'
  readonly Title: string
  readonly Description: string
  readonly Url: string
  readonly MsgId: string
}
export interface MiniProgramPageMessage extends PushMessageBase {
  readonly MsgType: 'miniprogrampage'
  readonly Title: string
  readonly AppId: string
  readonly PagePath: string
  readonly ThumbUrl: string
  readonly ThumbMediaId: string
}
/** Events: `subscribe`, `unsubscribe`, `SCAN`, `CLICK`, `VIEW`, `user_enter_tempsession`, `debug_demo`… */
export interface EventMessage extends PushMessageBase {
  readonly MsgType: 'event'
  readonly Event: string
  readonly EventKey?: string
}

/** A pushed message or event, told apart by `MsgType` (and `Event`). */
export type PushMessage =
  TextMessage | ImageMessage | VoiceMessage | VideoMessage | LocationMessage | LinkMessage | MiniProgramPageMessage | EventMessage

export type PushFormat = 'xml' | 'json'

const xmlParser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, ignoreAttributes: true, trimValues: true })

/** The format of a push body: JSON when it is an object literal, XML otherwise. */
export function formatOf(body: string): PushFormat {
  return body.trimStart().startsWith('{') ? 'json' : 'xml'
}

/** The fields of a push body, `<xml>…</xml>` or a JSON object; XML with a DOCTYPE is refused (no entity tricks). */
export function parsePushBody(body: string, format: PushFormat = formatOf(body)): Record<string, unknown> {
  const bad = (why: string) => pushError('WECHAT_PUSH_BAD_MESSAGE', `the pushed body is not a WeChat message: ${why}.`)
  if (format === 'json') {
    let value: unknown
    try {
      value = JSON.parse(body)
    } catch {
      throw bad('not JSON')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a JSON object')
    return value as Record<string, unknown>
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw bad('XML with a DOCTYPE')
  let parsed: unknown
  try {
    parsed = xmlParser.parse(body, true)
  } catch {
    throw bad('not XML')
  }
  const root = (parsed as { xml?: unknown }).xml
  if (typeof root !== 'object' || root === null) throw bad('no <xml> root')
  return root as Record<string, unknown>
}

/** A typed message from a (decrypted) push body; `CreateTime` becomes a number and `MsgId` a string. */
export function toPushMessage(fields: Record<string, unknown>): PushMessage {
  for (const name of ['ToUserName', 'FromUserName', 'MsgType']) {
    if (typeof fields[name] !== 'string' || fields[name] === '') {
      throw pushError('WECHAT_PUSH_BAD_MESSAGE', `the pushed message has no ${name}.`)
    }
  }
  const createTime = Number(fields['CreateTime'])
  return {
    ...fields,
    CreateTime: Number.isFinite(createTime) ? createTime : 0,
    ...(fields['MsgId'] !== undefined ? { MsgId: String(fields['MsgId']) } : {}),
  } as PushMessage
}
