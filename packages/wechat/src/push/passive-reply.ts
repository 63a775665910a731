import { XMLBuilder } from 'fast-xml-parser'
import type { PushFormat, PushMessage } from './push-message'
import type { EncryptedReply } from './message-crypto'

export interface NewsArticle {
  readonly title: string
  readonly description: string
  readonly picUrl: string
  readonly url: string
}

/** What a handler may answer a user with, at once (被动回复). */
export type PassiveReply =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'image'; readonly mediaId: string }
  | { readonly type: 'voice'; readonly mediaId: string }
  | { readonly type: 'video'; readonly mediaId: string; readonly title?: string; readonly description?: string }
  | { readonly type: 'news'; readonly articles: readonly NewsArticle[] }
  | { readonly type: 'transfer_customer_service' }

// Every string goes in CDATA, split around any "]]>" by the builder.
const xmlBuilder = new XMLBuilder({ cdataPropName: '__cdata', suppressEmptyNode: false })

/** The reply's fields in WeChat's names, addressed back to the sender. */
export function replyFields(reply: PassiveReply, to: PushMessage, now: number): Record<string, unknown> {
  const head = { ToUserName: to.FromUserName, FromUserName: to.ToUserName, CreateTime: Math.floor(now / 1000) }
  switch (reply.type) {
    case 'text':
      return { ...head, MsgType: 'text', Content: reply.content }
    case 'image':
      return { ...head, MsgType: 'image', Image: { MediaId: reply.mediaId } }
    case 'voice':
      return { ...head, MsgType: 'voice', Voice: { MediaId: reply.mediaId } }
    case 'video':
      return {
        ...head,
        MsgType: 'video',
        Video: {
          MediaId: reply.mediaId,
          ...(reply.title ? { Title: reply.title } : {}),
          ...(reply.description ? { Description: reply.description } : {}),
        },
      }
    case 'news':
      return {
        ...head,
        MsgType: 'news',
        ArticleCount: reply.articles.length,
        Articles: {
          item: reply.articles.map((article) => ({
            Title: article.title,
            Description: article.description,
            PicUrl: article.picUrl,
            Url: article.url,
          })),
        },
      }
    case 'transfer_customer_service':
      return { ...head, MsgType: 'transfer_customer_service' }
  }
}

/** `fields` as the body of a reply: `<xml>…</xml>` (strings in CDATA) or JSON. */
export function serializeReply(fields: Record<string, unknown>, format: PushFormat): string {
  return format === 'json' ? JSON.stringify(fields) : xmlBuilder.build({ xml: wrapStrings(fields) })
}

/** An encrypted reply's envelope: `Encrypt`, `MsgSignature`, `TimeStamp`, `Nonce`. */
export function encryptedEnvelope(reply: EncryptedReply): Record<string, unknown> {
  return { Encrypt: reply.encrypt, MsgSignature: reply.msgSignature, TimeStamp: reply.timeStamp, Nonce: reply.nonce }
}

function wrapStrings(value: unknown): unknown {
  if (typeof value === 'string') return { __cdata: value }
  if (Array.isArray(value)) return value.map(wrapStrings)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, wrapStrings(inner)]))
  }
  return value
}
