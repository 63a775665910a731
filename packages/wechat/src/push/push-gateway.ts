import { PageModuleError } from '@page-module/core'
import { createMessageCrypto, type MessageCrypto } from './message-crypto'
import { encryptedEnvelope, replyFields, serializeReply, type PassiveReply } from './passive-reply'
import { pushError } from './push-errors'
import { formatOf, parsePushBody, toPushMessage, type PushFormat, type PushMessage } from './push-message'
import { answerEchostr, verifySignature } from './push-signature'

export interface PushGatewayOptions {
  /** The Token set beside the push URL. */
  readonly token: string
  /** Safe mode (安全模式) and compatible mode: the 43-character EncodingAESKey. Without it, encrypted pushes are refused. */
  readonly encodingAesKey?: string
  /** The AppID encrypted messages must name. */
  readonly appId: string
  /** The data format set in the console; replies use it. Default: the format the push came in. */
  readonly format?: PushFormat
  /** Answers a message or event: a passive reply, or nothing (WeChat then gets `success`). */
  readonly onMessage: (
    message: PushMessage,
    context: { readonly request: Request },
  ) => PassiveReply | undefined | Promise<PassiveReply | undefined>
  /** Called when a push is refused (bad signature, bad body); default: nothing. */
  readonly onRefused?: (error: PageModuleError, request: Request) => void
  readonly now?: () => number
}

/** A Web-standard handler: `(request) => Promise<Response>`. */
export type RequestHandler = (request: Request) => Promise<Response>

/**
 * The message-push endpoint: GET answers server verification with `echostr`; POST checks the signature, decrypts in
 * safe mode, parses XML or JSON into a typed message, and answers the handler's passive reply (encrypted in safe mode)
 * or `success`.
 */
export function createPushGateway(options: PushGatewayOptions): RequestHandler {
  const crypto: MessageCrypto | undefined =
    options.encodingAesKey === undefined
      ? undefined
      : createMessageCrypto({ token: options.token, encodingAesKey: options.encodingAesKey, appId: options.appId })
  if (!options.token) throw pushError('INVALID_OPTIONS', 'token is required: the Token set beside the push URL.')
  const now = options.now ?? Date.now

  return async (request) => {
    const url = new URL(request.url)
    const query = {
      token: options.token,
      signature: url.searchParams.get('signature'),
      timestamp: url.searchParams.get('timestamp'),
      nonce: url.searchParams.get('nonce'),
    }
    if (request.method === 'GET') {
      const echostr = answerEchostr({ ...query, echostr: url.searchParams.get('echostr') })
      return echostr === undefined ? text(403, 'signature mismatch') : text(200, echostr)
    }
    if (request.method !== 'POST') return text(405, 'method not allowed')
    try {
      if (!verifySignature(query)) throw pushError('WECHAT_PUSH_SIGNATURE_MISMATCH', 'signature does not match the Token.')
      const body = await request.text()
      const incoming = formatOf(body)
      const outer = parsePushBody(body, incoming)
      const encrypted = url.searchParams.get('encrypt_type') === 'aes'
      let fields = outer
      if (encrypted) {
        if (!crypto) throw pushError('WECHAT_PUSH_DECRYPT_FAILED', 'an encrypted push arrived but no encodingAesKey is configured.')
        if (typeof outer['Encrypt'] !== 'string') throw pushError('WECHAT_PUSH_BAD_MESSAGE', 'safe mode without Encrypt.')
        const inner = crypto.decrypt({
          msgSignature: url.searchParams.get('msg_signature'),
          timestamp: query.timestamp,
          nonce: query.nonce,
          encrypt: outer['Encrypt'],
        })
        fields = parsePushBody(inner)
      }
      const message = toPushMessage(fields)
      const reply = await options.onMessage(message, { request })
      if (reply === undefined) return text(200, 'success')
      const format = options.format ?? incoming
      const plain = serializeReply(replyFields(reply, message, now()), format)
      if (!encrypted || !crypto) return respond(format, plain)
      const sealed = crypto.encrypt(plain, { timestamp: String(Math.floor(now() / 1000)) })
      return respond(format, serializeReply(encryptedEnvelope(sealed), format))
    } catch (error) {
      if (!PageModuleError.isInstance(error) || !String(error.code).startsWith('WECHAT_PUSH_')) throw error
      options.onRefused?.(error, request)
      return text(error.code === 'WECHAT_PUSH_BAD_MESSAGE' ? 400 : 403, error.code)
    }
  }
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
}

function respond(format: PushFormat, body: string): Response {
  const type = format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8'
  return new Response(body, { status: 200, headers: { 'content-type': type } })
}
