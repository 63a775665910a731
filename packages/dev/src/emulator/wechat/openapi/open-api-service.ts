import { randomBytes } from 'node:crypto'
import { LosslessNumber, stringify } from 'lossless-json'
import { weChatReply } from '../wechat-reply'
import { decodeImage, encodePng, scaleUp, type DecodedImage } from './decoded-image'
import { findQrCode, renderQrCode } from './qr-code-image'

/** A file part of a call: a multipart part over HTTPS, a `KeyValuePair` with a file name by cloud call. */
export interface OpenApiFile {
  readonly contentType: string
  readonly body: Buffer
  readonly fileName: string
}

/** One open-API call as the WeChat side sees it, however it came: wire (snake_case) parameters and files. */
export interface OpenApiCall {
  readonly appId: string
  /** Query and body parameters together. */
  readonly params: Readonly<Record<string, unknown>>
  readonly files: Readonly<Record<string, OpenApiFile>>
}

/** What WeChat answers: JSON bytes (big integers written exactly) or an image, both with HTTP 200. */
export interface OpenApiReply {
  readonly contentType: string
  readonly body: Buffer
}

/** A message the app sent (subscribe, template, customer service, typing), kept for tests. */
export interface SentMessage {
  readonly api: string
  readonly appId: string
  readonly touser: string
  /** The wire body as sent. */
  readonly body: Readonly<Record<string, unknown>>
  /** The msgid answered, when the API answers one. */
  readonly msgId?: string
}

export interface OpenApiServiceOptions {
  /** Words `security.msgSecCheck` flags as risky. Default: none. */
  readonly sensitiveWords?: readonly string[]
  /** Seconds since the epoch. */
  readonly nowSeconds?: () => number
  /** Loads an `img_url` (img.*). Default: the global fetch. */
  readonly fetch?: typeof fetch
  /**
   * Enforce WeChat's reply window: customer-service messages reach only users who messaged the app within this many
   * seconds (WeChat's is 48 h = 172800), else 45015. Default: not enforced.
   */
  readonly customerServiceWindowSeconds?: number
}

/** The WeChat side of the open APIs: every API by its cloud-call name, and what it recorded. */
export interface OpenApiService {
  /** The APIs served, by cloud-call name (`wxacode.getUnlimited`). */
  readonly apis: ReadonlyMap<string, (call: OpenApiCall) => Promise<OpenApiReply>>
  /** Messages sent, oldest first. */
  readonly sent: SentMessage[]
  /** Replaces the words msgSecCheck flags. */
  setSensitiveWords(words: readonly string[]): void
  /** Notes that a user messaged the app now (message push does), opening the customer-service reply window. */
  noteUserMessage(appId: string, openid: string): void
  /** A `code` phonenumber.getPhoneNumber accepts once, as the getPhoneNumber button gives one. */
  mintPhoneNumberCode(appId: string, phone: { purePhoneNumber: string; countryCode?: string }): string
}

const JSON_TYPE = 'application/json; encoding=utf-8'
// Real msgids are 19-digit integers beyond 2^53.
const FIRST_MSG_ID = 1730583985829494784n
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/

export function createOpenApiService(options: OpenApiServiceOptions = {}): OpenApiService {
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  const load = options.fetch ?? globalThis.fetch
  let sensitiveWords = [...(options.sensitiveWords ?? [])]
  let nextMsgId = FIRST_MSG_ID
  const sent: SentMessage[] = []
  const media = new Map<string, { appId: string; contentType: string; body: Buffer; expiresAt: number }>()
  const phoneCodes = new Map<string, { appId: string; purePhoneNumber: string; countryCode: string }>()
  const lastUserMessage = new Map<string, number>()
  const outsideReplyWindow = (appId: string, openid: string) => {
    const window = options.customerServiceWindowSeconds
    if (window === undefined) return false
    const last = lastUserMessage.get(`${appId}\u0000${openid}`)
    return last === undefined || nowSeconds() - last > window
  }

  const json = (value: object): OpenApiReply => ({ contentType: JSON_TYPE, body: Buffer.from(stringify(value) ?? '{}') })
  const ok = (value: object = {}) => json({ errcode: 0, errmsg: 'ok', ...value })
  const fail = (errcode: number, errmsg: string) => json(weChatReply(errcode, errmsg))
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
  const token = () => randomBytes(12).toString('hex')

  function record(api: string, call: OpenApiCall, withMsgId: boolean): SentMessage {
    const message: SentMessage = {
      api,
      appId: call.appId,
      touser: String(call.params['touser']),
      body: call.params,
      ...(withMsgId ? { msgId: String(nextMsgId++) } : {}),
    }
    sent.push(message)
    return message
  }

  function storeMedia(appId: string, contentType: string, body: Buffer): string {
    const mediaId = `${token()}${token()}`
    media.set(mediaId, { appId, contentType, body, expiresAt: nowSeconds() + 3 * 24 * 3600 })
    return mediaId
  }

  /** The image of an img.* call: the `img` part, or the picture at `img_url`. */
  async function imageOf(call: OpenApiCall): Promise<DecodedImage | OpenApiReply> {
    let bytes = call.files['img']?.body
    const url = text(call.params['img_url'])
    if (!bytes && url) {
      if (!/^https?:\/\//.test(url)) return fail(40097, 'invalid args: img_url')
      const response = await load(url).catch(() => undefined)
      if (!response?.ok) return fail(101000, 'image url download error')
      bytes = Buffer.from(await response.arrayBuffer())
    }
    if (!bytes) return fail(41005, 'media data missing')
    if (bytes.length > 2 * 1024 * 1024) return fail(40006, 'invalid media size')
    return decodeImage(bytes) ?? fail(101002, 'image decode error')
  }

  async function wxacode(call: OpenApiCall, content: unknown): Promise<OpenApiReply> {
    const width = typeof call.params['width'] === 'number' ? call.params['width'] : 430
    if (typeof content !== 'string' || content === '') return fail(41030, 'invalid page')
    if (content.length > 128) return fail(40159, 'invalid length for path, or the data is not json string')
    return { contentType: 'image/png', body: await renderQrCode(content, Math.min(Math.max(width, 280), 1280)) }
  }

  const apis = new Map<string, (call: OpenApiCall) => Promise<OpenApiReply>>([
    [
      'security.msgSecCheck',
      async ({ params }) => {
        if (params['version'] !== 2) return fail(87014, 'risky content (v1 is deprecated: send version 2)')
        const content = text(params['content'])
        if (content === undefined || !text(params['openid'])) return fail(40003, 'invalid openid or content')
        if (![1, 2, 3, 4].includes(params['scene'] as number)) return fail(40129, 'invalid scene')
        if (content.length > 2500) return fail(40006, 'content too long')
        const keyword = sensitiveWords.find((word) => word !== '' && content.includes(word))
        const suggest = keyword ? 'risky' : 'pass'
        const label = keyword ? 20001 : 100
        return ok({
          trace_id: token(),
          result: { suggest, label },
          detail: [
            { strategy: 'content_model', errcode: 0, suggest, label, prob: 90 },
            { strategy: 'keyword', errcode: 0, ...(keyword ? { suggest, label, level: 20, keyword } : {}) },
          ],
        })
      },
    ],
    [
      'security.imgSecCheck',
      async ({ files }) => {
        const file = files['media']
        if (!file) return fail(41005, 'media data missing')
        return decodeImage(file.body) ? ok() : fail(40006, 'invalid media size or format')
      },
    ],
    [
      'subscribeMessage.send',
      async (call) => {
        const { params } = call
        if (!text(params['touser'])) return fail(40003, 'invalid openid')
        if (!text(params['template_id'])) return fail(40037, 'invalid template_id')
        const data = params['data']
        if (typeof data !== 'object' || data === null) return fail(47003, 'argument invalid! data is empty')
        for (const [key, entry] of Object.entries(data)) {
          if (typeof (entry as { value?: unknown } | null)?.value !== 'string')
            return fail(47003, `argument invalid! data.${key}.value invalid`)
        }
        const state = params['miniprogram_state']
        if (state !== undefined && !['developer', 'trial', 'formal'].includes(state as string))
          return fail(47003, 'argument invalid! miniprogram_state')
        const { msgId } = record('subscribeMessage.send', call, true)
        return ok({ msgid: new LosslessNumber(msgId!) })
      },
    ],
    [
      'templateMessage.send',
      async (call) => {
        if (!text(call.params['touser'])) return fail(40003, 'invalid openid')
        if (!text(call.params['template_id'])) return fail(40037, 'invalid template_id')
        if (!text(call.params['form_id'])) return fail(41028, 'invalid form id')
        record('templateMessage.send', call, false)
        return ok()
      },
    ],
    [
      'customerServiceMessage.send',
      async (call) => {
        const { params } = call
        if (!text(params['touser'])) return fail(40003, 'invalid openid')
        const type = params['msgtype']
        const required: Record<string, readonly string[]> = {
          text: ['content'],
          image: ['media_id'],
          link: ['title', 'description', 'url', 'thumb_url'],
          miniprogrampage: ['title', 'pagepath', 'thumb_media_id'],
        }
        if (typeof type !== 'string' || !required[type]) return fail(40008, 'invalid message type')
        if (outsideReplyWindow(call.appId, String(params['touser'])))
          return fail(45015, 'response out of time limit or subscription is canceled')
        const content = params[type] as Record<string, unknown> | undefined
        const missing = required[type]!.find((field) => typeof content?.[field] !== 'string')
        if (missing) return fail(47001, `data format error: ${type}.${missing}`)
        if (type === 'image' && !media.has(String(content!['media_id']))) return fail(40007, 'invalid media_id')
        record('customerServiceMessage.send', call, false)
        return ok()
      },
    ],
    [
      'customerServiceMessage.setTyping',
      async (call) => {
        if (!text(call.params['touser'])) return fail(40003, 'invalid openid')
        if (call.params['command'] !== 'Typing' && call.params['command'] !== 'CancelTyping') return fail(45072, 'command invalid')
        if (outsideReplyWindow(call.appId, String(call.params['touser']))) return fail(45080, 'has not sent message to user in 30 seconds')
        record('customerServiceMessage.setTyping', call, false)
        return ok()
      },
    ],
    [
      'customerServiceMessage.uploadTempMedia',
      async ({ appId, params, files }) => {
        if (params['type'] !== 'image') return fail(40004, 'invalid media type')
        const file = files['media']
        if (!file) return fail(41005, 'media data missing')
        if (!decodeImage(file.body)) return fail(40005, 'invalid file type')
        return json({ type: 'image', media_id: storeMedia(appId, file.contentType, file.body), created_at: nowSeconds() })
      },
    ],
    [
      'customerServiceMessage.getTempMedia',
      async ({ appId, params }) => {
        const stored = media.get(String(params['media_id']))
        if (!stored || stored.appId !== appId || stored.expiresAt < nowSeconds()) return fail(40007, 'invalid media_id')
        return { contentType: stored.contentType, body: stored.body }
      },
    ],
    ['wxacode.createQRCode', async (call) => wxacode(call, call.params['path'])],
    ['wxacode.get', async (call) => wxacode(call, call.params['path'])],
    [
      'wxacode.getUnlimited',
      async (call) => {
        const scene = call.params['scene']
        if (typeof scene !== 'string' || !SCENE.test(scene)) return fail(40169, 'invalid length for scene, or the data is not json string')
        const version = call.params['env_version']
        if (version !== undefined && !['release', 'trial', 'develop'].includes(version as string))
          return fail(40097, 'invalid args: env_version')
        return wxacode(call, scene)
      },
    ],
    [
      'img.aiCrop',
      async (call) => {
        const image = await imageOf(call)
        if (!('width' in image)) return image
        const side = Math.min(image.width, image.height)
        const left = Math.floor((image.width - side) / 2)
        const top = Math.floor((image.height - side) / 2)
        return ok({
          results: [{ crop_left: left, crop_top: top, crop_right: left + side, crop_bottom: top + side }],
          img_size: { w: image.width, h: image.height },
        })
      },
    ],
    [
      'img.scanQRCode',
      async (call) => {
        const image = await imageOf(call)
        if (!('width' in image)) return image
        const found = findQrCode(image)
        return ok({
          code_results: found ? [{ type_name: 'QR_CODE', data: found.data, pos: found.corners }] : [],
          img_size: { w: image.width, h: image.height },
        })
      },
    ],
    [
      'img.superresolution',
      async (call) => {
        const image = await imageOf(call)
        if (!('width' in image)) return image
        if (image.width * image.height > 1024 * 1024) return fail(40006, 'image too large')
        return ok({ media_id: storeMedia(call.appId, 'image/png', encodePng(scaleUp(image, 2))) })
      },
    ],
    [
      'urlscheme.generate',
      async ({ params }) => {
        const jump = params['jump_wxa'] as Record<string, unknown> | undefined
        if (jump !== undefined && (typeof jump !== 'object' || String(jump['path'] ?? '').includes('?')))
          return fail(40165, 'invalid weapp pagepath')
        return ok({ openlink: `weixin://dl/business/?t=${randomBytes(8).toString('base64url')}` })
      },
    ],
    [
      'urllink.generate',
      async ({ params }) => {
        if (String(params['path'] ?? '').includes('?')) return fail(40165, 'invalid weapp pagepath')
        return ok({ url_link: `https://wxaurl.cn/${randomBytes(8).toString('base64url')}` })
      },
    ],
    [
      'phonenumber.getPhoneNumber',
      async ({ appId, params }) => {
        const code = String(params['code'] ?? '')
        const phone = phoneCodes.get(code)
        if (!phone || phone.appId !== appId) return fail(40029, 'invalid code')
        phoneCodes.delete(code)
        const phoneNumber = phone.countryCode === '86' ? phone.purePhoneNumber : `+${phone.countryCode}${phone.purePhoneNumber}`
        return ok({
          phone_info: {
            phoneNumber,
            purePhoneNumber: phone.purePhoneNumber,
            countryCode: phone.countryCode,
            watermark: { timestamp: nowSeconds(), appid: appId },
          },
        })
      },
    ],
  ])

  return {
    apis,
    sent,
    setSensitiveWords(words) {
      sensitiveWords = [...words]
    },
    noteUserMessage(appId, openid) {
      lastUserMessage.set(`${appId}\u0000${openid}`, nowSeconds())
    },
    mintPhoneNumberCode(appId, { purePhoneNumber, countryCode = '86' }) {
      const code = token()
      phoneCodes.set(code, { appId, purePhoneNumber, countryCode })
      return code
    },
  }
}
