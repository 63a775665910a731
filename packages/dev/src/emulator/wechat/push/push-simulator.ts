import { randomBytes } from 'node:crypto'
import { createMessageCrypto, parsePushBody, pushSignature, serializeReply, type PushFormat } from '@page-module/wechat/push'

export interface PushSimulatorOptions {
  /** The gateway URL configured in the console (消息推送 → URL). */
  readonly url: string
  /** The Token configured beside it. */
  readonly token: string
  /** The account's AppID (the `ToUserName` of a mini-program, the appid safe mode encrypts for). */
  readonly appId: string
  /** Given: safe mode (安全模式), every push encrypted. */
  readonly encodingAesKey?: string
  /** The data format configured in the console. Default `xml`. */
  readonly format?: PushFormat
  readonly fetch?: typeof fetch
  readonly now?: () => number
}

export interface PushOutcome {
  readonly status: number
  /** The gateway's answer as sent. */
  readonly body: string
  /** `success` / empty, or the passive reply's fields (decrypted and signature-checked in safe mode). */
  readonly reply: 'success' | Record<string, unknown>
}

export interface PushSimulator {
  /** WeChat's server verification: GET with signature and `echostr`; true when the gateway echoed it. */
  verifyServer(): Promise<boolean>
  /** Pushes a message or event as WeChat does (signed, encrypted in safe mode) and reads the reply as WeChat would. */
  push(message: Record<string, unknown>): Promise<PushOutcome>
}

/** WeChat's side of message push, aimed at a gateway URL. */
export function createPushSimulator(options: PushSimulatorOptions): PushSimulator {
  const fetchImplementation = options.fetch ?? globalThis.fetch
  const format = options.format ?? 'xml'
  const now = options.now ?? Date.now
  const crypto =
    options.encodingAesKey === undefined
      ? undefined
      : createMessageCrypto({ token: options.token, encodingAesKey: options.encodingAesKey, appId: options.appId })
  const signedUrl = (extra: Record<string, string> = {}) => {
    const timestamp = String(Math.floor(now() / 1000))
    const nonce = String(randomBytes(4).readUInt32BE(0))
    const url = new URL(options.url)
    url.searchParams.set('signature', pushSignature([options.token, timestamp, nonce]))
    url.searchParams.set('timestamp', timestamp)
    url.searchParams.set('nonce', nonce)
    for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value)
    return { url, timestamp, nonce }
  }

  return {
    async verifyServer() {
      const echostr = String(randomBytes(8).readBigUInt64BE(0))
      const { url } = signedUrl({ echostr })
      const response = await fetchImplementation(url, { method: 'GET' })
      return response.status === 200 && (await response.text()) === echostr
    },
    async push(message) {
      const plain = serializeReply(message, format)
      const { url, timestamp, nonce } = signedUrl()
      let body = plain
      if (crypto) {
        const sealed = crypto.encrypt(plain, { timestamp, nonce })
        url.searchParams.set('openid', String(message['FromUserName'] ?? ''))
        url.searchParams.set('encrypt_type', 'aes')
        url.searchParams.set('msg_signature', sealed.msgSignature)
        body = serializeReply({ ToUserName: message['ToUserName'], Encrypt: sealed.encrypt }, format)
      }
      const response = await fetchImplementation(url, {
        method: 'POST',
        headers: { 'content-type': format === 'json' ? 'application/json' : 'text/xml' },
        body,
      })
      const text = await response.text()
      if (response.status !== 200 || text === '' || text === 'success') return { status: response.status, body: text, reply: 'success' }
      const fields = parsePushBody(text)
      if (!crypto) return { status: response.status, body: text, reply: fields }
      const inner = crypto.decrypt({
        msgSignature: String(fields['MsgSignature'] ?? ''),
        timestamp: String(fields['TimeStamp'] ?? ''),
        nonce: String(fields['Nonce'] ?? ''),
        encrypt: String(fields['Encrypt'] ?? ''),
      })
      return { status: response.status, body: text, reply: parsePushBody(inner) }
    },
  }
}
