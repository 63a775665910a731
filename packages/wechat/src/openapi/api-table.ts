import { f, inQuery, optional, type FieldMap } from './field-spec'

/** One open API: where it lives, how its parameters and answer map between camelCase and the wire. */
export type AnswerKind = 'json' | 'binary' | 'token'

export interface ApiDefinition<
  Request extends FieldMap = FieldMap,
  Response extends FieldMap = FieldMap,
  Answer extends AnswerKind = AnswerKind,
> {
  readonly method: 'GET' | 'POST'
  /** The HTTPS path (the access_token goes in the query). */
  readonly path: string
  readonly request: Request
  /** JSON answers: the fields kept, camelCase. Binary answers resolve with `{ contentType, buffer }`. */
  readonly response: Response
  /** `binary`: an image or a file on success, a JSON error with the same HTTP 200; `token`: served by the token provider. */
  readonly answer: Answer
  /** Wire values sent when the caller leaves them out. */
  readonly defaults?: Readonly<Record<string, unknown>>
  /** The name `cloud.openapi` and `config.json` `permissions.openapi` know it by; none when cloud call lacks it. */
  readonly cloudName?: string
}

function api<Request extends FieldMap, Response extends FieldMap, Answer extends AnswerKind>(
  definition: ApiDefinition<Request, Response, Answer>,
): ApiDefinition<Request, Response, Answer> {
  return definition
}

const lineColor = optional(f.object('line_color', { r: f.number('r'), g: f.number('g'), b: f.number('b') }))
const envVersion = optional(f.of<'release' | 'trial' | 'develop'>('env_version'))
const imageInput = { img: optional(f.media('img')), imgUrl: optional(inQuery(f.string('img_url'))) }
const imgSize = optional(f.object('img_size', { w: f.number('w'), h: f.number('h') }))
const point = (wire: string) => f.object(wire, { x: f.number('x'), y: f.number('y') })
const expiry = {
  isExpire: optional(f.boolean('is_expire')),
  expireType: optional(f.of<0 | 1>('expire_type')),
  expireTime: optional(f.number('expire_time')),
  expireInterval: optional(f.number('expire_interval')),
}

/** Every open API this package covers. Adding one is one entry; types and runtime both follow. */
export const OPEN_APIS = {
  auth: {
    getAccessToken: api({
      method: 'GET',
      path: '/cgi-bin/token',
      request: {},
      response: { accessToken: f.string('access_token') },
      answer: 'token',
    }),
  },
  security: {
    msgSecCheck: api({
      method: 'POST',
      path: '/wxa/msg_sec_check',
      request: {
        openid: f.string('openid'),
        scene: f.of<1 | 2 | 3 | 4>('scene'),
        content: f.string('content'),
        version: optional(f.number('version')),
        nickname: optional(f.string('nickname')),
        title: optional(f.string('title')),
        signature: optional(f.string('signature')),
      },
      response: {
        traceId: optional(f.string('trace_id')),
        result: f.object('result', { suggest: f.of<'pass' | 'review' | 'risky'>('suggest'), label: f.number('label') }),
        detail: optional(
          f.list('detail', {
            strategy: f.string('strategy'),
            errcode: f.number('errcode'),
            suggest: optional(f.of<'pass' | 'review' | 'risky'>('suggest')),
            label: optional(f.number('label')),
            prob: optional(f.number('prob')),
            keyword: optional(f.string('keyword')),
          }),
        ),
      },
      answer: 'json',
      defaults: { version: 2 },
      cloudName: 'security.msgSecCheck',
    }),
    imgSecCheck: api({
      method: 'POST',
      path: '/wxa/img_sec_check',
      request: { media: f.media('media') },
      response: {},
      answer: 'json',
      cloudName: 'security.imgSecCheck',
    }),
  },
  subscribeMessage: {
    send: api({
      method: 'POST',
      path: '/cgi-bin/message/subscribe/send',
      request: {
        touser: f.string('touser'),
        templateId: f.string('template_id'),
        data: f.raw<Record<string, { value: string }>>('data'),
        page: optional(f.string('page')),
        miniprogramState: optional(f.of<'developer' | 'trial' | 'formal'>('miniprogram_state')),
        lang: optional(f.of<'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'>('lang')),
      },
      response: { msgId: optional(f.id('msgid')) },
      answer: 'json',
      cloudName: 'subscribeMessage.send',
    }),
  },
  templateMessage: {
    send: api({
      method: 'POST',
      path: '/cgi-bin/message/wxopen/template/send',
      request: {
        touser: f.string('touser'),
        templateId: f.string('template_id'),
        formId: f.string('form_id'),
        data: f.raw<Record<string, { value: string }>>('data'),
        page: optional(f.string('page')),
        emphasisKeyword: optional(f.string('emphasis_keyword')),
      },
      response: {},
      answer: 'json',
      cloudName: 'templateMessage.send',
    }),
  },
  customerServiceMessage: {
    send: api({
      method: 'POST',
      path: '/cgi-bin/message/custom/send',
      request: {
        touser: f.string('touser'),
        msgtype: f.of<'text' | 'image' | 'link' | 'miniprogrampage'>('msgtype'),
        text: optional(f.object('text', { content: f.string('content') })),
        image: optional(f.object('image', { mediaId: f.string('media_id') })),
        link: optional(
          f.object('link', {
            title: f.string('title'),
            description: f.string('description'),
            url: f.string('url'),
            thumbUrl: f.string('thumb_url'),
          }),
        ),
        miniprogrampage: optional(
          f.object('miniprogrampage', {
            title: f.string('title'),
            pagepath: f.string('pagepath'),
            thumbMediaId: f.string('thumb_media_id'),
          }),
        ),
      },
      response: {},
      answer: 'json',
      cloudName: 'customerServiceMessage.send',
    }),
    setTyping: api({
      method: 'POST',
      path: '/cgi-bin/message/custom/typing',
      request: { touser: f.string('touser'), command: f.of<'Typing' | 'CancelTyping'>('command') },
      response: {},
      answer: 'json',
      cloudName: 'customerServiceMessage.setTyping',
    }),
    uploadTempMedia: api({
      method: 'POST',
      path: '/cgi-bin/media/upload',
      request: { type: inQuery(f.of<'image'>('type')), media: f.media('media') },
      response: { type: f.string('type'), mediaId: f.string('media_id'), createdAt: f.number('created_at') },
      answer: 'json',
      cloudName: 'customerServiceMessage.uploadTempMedia',
    }),
    getTempMedia: api({
      method: 'GET',
      path: '/cgi-bin/media/get',
      request: { mediaId: inQuery(f.string('media_id')) },
      response: {},
      answer: 'binary',
      cloudName: 'customerServiceMessage.getTempMedia',
    }),
  },
  wxacode: {
    createQRCode: api({
      method: 'POST',
      path: '/cgi-bin/wxaapp/createwxaqrcode',
      request: { path: f.string('path'), width: optional(f.number('width')) },
      response: {},
      answer: 'binary',
      cloudName: 'wxacode.createQRCode',
    }),
    get: api({
      method: 'POST',
      path: '/wxa/getwxacode',
      request: {
        path: f.string('path'),
        width: optional(f.number('width')),
        autoColor: optional(f.boolean('auto_color')),
        lineColor,
        isHyaline: optional(f.boolean('is_hyaline')),
        envVersion,
      },
      response: {},
      answer: 'binary',
      cloudName: 'wxacode.get',
    }),
    getUnlimited: api({
      method: 'POST',
      path: '/wxa/getwxacodeunlimit',
      request: {
        scene: f.string('scene'),
        page: optional(f.string('page')),
        checkPath: optional(f.boolean('check_path')),
        envVersion,
        width: optional(f.number('width')),
        autoColor: optional(f.boolean('auto_color')),
        lineColor,
        isHyaline: optional(f.boolean('is_hyaline')),
      },
      response: {},
      answer: 'binary',
      cloudName: 'wxacode.getUnlimited',
    }),
  },
  img: {
    aiCrop: api({
      method: 'POST',
      path: '/cv/img/aicrop',
      request: imageInput,
      response: {
        results: f.list('results', {
          cropLeft: f.number('crop_left'),
          cropTop: f.number('crop_top'),
          cropRight: f.number('crop_right'),
          cropBottom: f.number('crop_bottom'),
        }),
        imgSize,
      },
      answer: 'json',
      cloudName: 'img.aiCrop',
    }),
    scanQRCode: api({
      method: 'POST',
      path: '/cv/img/qrcode',
      request: imageInput,
      response: {
        codeResults: f.list('code_results', {
          typeName: f.string('type_name'),
          data: f.string('data'),
          pos: optional(
            f.object('pos', {
              leftTop: point('left_top'),
              rightTop: point('right_top'),
              rightBottom: point('right_bottom'),
              leftBottom: point('left_bottom'),
            }),
          ),
        }),
        imgSize,
      },
      answer: 'json',
      cloudName: 'img.scanQRCode',
    }),
    superresolution: api({
      method: 'POST',
      path: '/cv/img/superresolution',
      request: imageInput,
      response: { mediaId: f.string('media_id') },
      answer: 'json',
      cloudName: 'img.superresolution',
    }),
  },
  urlscheme: {
    generate: api({
      method: 'POST',
      path: '/wxa/generatescheme',
      request: {
        jumpWxa: optional(f.object('jump_wxa', { path: optional(f.string('path')), query: optional(f.string('query')), envVersion })),
        ...expiry,
      },
      response: { openlink: f.string('openlink') },
      answer: 'json',
      cloudName: 'urlscheme.generate',
    }),
  },
  urllink: {
    generate: api({
      method: 'POST',
      path: '/wxa/generate_urllink',
      request: { path: optional(f.string('path')), query: optional(f.string('query')), envVersion, ...expiry },
      response: { urlLink: f.string('url_link') },
      answer: 'json',
      cloudName: 'urllink.generate',
    }),
  },
  phonenumber: {
    getPhoneNumber: api({
      method: 'POST',
      path: '/wxa/business/getuserphonenumber',
      request: { code: f.string('code') },
      response: {
        phoneInfo: f.object('phone_info', {
          phoneNumber: f.string('phoneNumber'),
          purePhoneNumber: f.string('purePhoneNumber'),
          countryCode: f.string('countryCode'),
          watermark: f.object('watermark', { timestamp: f.number('timestamp'), appid: f.string('appid') }),
        }),
      },
      answer: 'json',
      cloudName: 'phonenumber.getPhoneNumber',
    }),
  },
} as const

export type OpenApiTable = typeof OPEN_APIS
