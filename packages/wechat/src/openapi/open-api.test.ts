import { PageModuleError } from '@page-module/core'
import { describe, expect, it } from 'vitest'
import { createOpenApiService } from '../../../dev/src/emulator/wechat/openapi/open-api-service'
import { serveOpenApis } from '../../../dev/src/emulator/wechat/openapi/serve-open-apis'
import { decodeImage } from '../../../dev/src/emulator/wechat/openapi/decoded-image'
import { findQrCode, renderQrCode } from '../../../dev/src/emulator/wechat/openapi/qr-code-image'
import { APP, startEmulatedWeChat } from '../../test/emulated-wechat'
import { serve } from '../../test/loopback'
import { createOpenApi } from './open-api'

const USER = 'oUSER-https-1'

async function start() {
  const wechat = await startEmulatedWeChat()
  const service = createOpenApiService({ sensitiveWords: ['forbidden-word'], nowSeconds: () => Math.floor(wechat.now() / 1000) })
  serveOpenApis(wechat.emulator, service)
  const openapi = createOpenApi(APP, { apiBaseUrl: wechat.apiBaseUrl })
  return { ...wechat, service, openapi }
}

const png = async (text: string) => ({ contentType: 'image/png', value: await renderQrCode(text, 200) })
const scan = (buffer: Buffer) => findQrCode(decodeImage(buffer)!)?.data

async function failure(promise: Promise<unknown>): Promise<PageModuleError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!PageModuleError.isInstance(error)) throw new Error(`expected a PageModuleError, got ${String(error)}`)
  return error
}

describe('createOpenApi over HTTPS (against the emulated WeChat API)', () => {
  it('auth.getAccessToken answers the token the shared provider holds', async () => {
    const { openapi, emulator } = await start()
    const { accessToken } = await openapi.auth.getAccessToken()
    expect(emulator.checkToken(accessToken).errcode).toBe(0)
  })

  it('security.msgSecCheck: version 2 by default, camelCase result, risky words flagged, errcodes thrown', async () => {
    const { openapi } = await start()
    const clean = await openapi.security.msgSecCheck({ openid: USER, scene: 2, content: 'hello' })
    expect(clean.result).toEqual({ suggest: 'pass', label: 100 })
    expect(clean.traceId).toEqual(expect.any(String))
    const risky = await openapi.security.msgSecCheck({ openid: USER, scene: 1, content: 'say forbidden-word' })
    expect(risky.result.suggest).toBe('risky')
    expect(risky.detail).toContainEqual(expect.objectContaining({ strategy: 'keyword', keyword: 'forbidden-word', errcode: 0 }))
    const error = await failure(openapi.security.msgSecCheck({ openid: USER, scene: 7 as 1, content: 'x' }))
    expect(error).toMatchObject({ code: 'WECHAT_API_ERROR', details: { errcode: 40129 } })
  })

  it('security.imgSecCheck uploads the media part', async () => {
    const { openapi } = await start()
    expect(await openapi.security.imgSecCheck({ media: await png('x') })).toEqual({})
    const error = await failure(openapi.security.imgSecCheck({ media: { contentType: 'image/png', value: Buffer.from('not an image') } }))
    expect(error.details?.['errcode']).toBe(40006)
  })

  it('subscribeMessage.send: template keys untouched, msgid beyond 2^53 as its exact decimal string', async () => {
    const { openapi, service } = await start()
    const data = { thing1: { value: 'a' }, character_string2: { value: 'b' }, myKey: { value: 'c' } }
    const { msgId } = await openapi.subscribeMessage.send({ touser: USER, templateId: 'TPL', data, miniprogramState: 'trial' })
    const sent = service.sent.at(-1)!
    expect(sent.body).toEqual({ touser: USER, template_id: 'TPL', data, miniprogram_state: 'trial' })
    expect(msgId).toBe(sent.msgId)
    expect(BigInt(msgId!)).toBeGreaterThan(2n ** 53n)
  })

  it('templateMessage.send, customerServiceMessage.send and setTyping are recorded with their wire names', async () => {
    const { openapi, service } = await start()
    await openapi.templateMessage.send({
      touser: USER,
      templateId: 'T',
      formId: 'F',
      data: { keyword1: { value: 'v' } },
      emphasisKeyword: 'k',
    })
    await openapi.customerServiceMessage.send({
      touser: USER,
      msgtype: 'link',
      link: { title: 't', description: 'd', url: 'https://example.com', thumbUrl: 'https://example.com/t.png' },
    })
    await openapi.customerServiceMessage.setTyping({ touser: USER, command: 'CancelTyping' })
    expect(service.sent.map((message) => message.body)).toEqual([
      { touser: USER, template_id: 'T', form_id: 'F', data: { keyword1: { value: 'v' } }, emphasis_keyword: 'k' },
      {
        touser: USER,
        msgtype: 'link',
        link: { title: 't', description: 'd', url: 'https://example.com', thumb_url: 'https://example.com/t.png' },
      },
      { touser: USER, command: 'CancelTyping' },
    ])
  })

  it('uploadTempMedia (multipart) then getTempMedia (binary) round-trips the image; a bad media_id is thrown', async () => {
    const { openapi } = await start()
    const image = await png('media')
    const uploaded = await openapi.customerServiceMessage.uploadTempMedia({ type: 'image', media: { ...image, fileName: 'photo.png' } })
    expect(uploaded).toEqual({ type: 'image', mediaId: expect.any(String), createdAt: expect.any(Number) })
    const fetched = await openapi.customerServiceMessage.getTempMedia({ mediaId: uploaded.mediaId })
    expect(fetched.contentType).toBe('image/png')
    expect(fetched.buffer.equals(image.value)).toBe(true)
    const error = await failure(openapi.customerServiceMessage.getTempMedia({ mediaId: 'nope' }))
    expect(error.details?.['errcode']).toBe(40007)
  })

  it('wxacode.* resolve { contentType, buffer } of a QR code; the JSON error with the same HTTP 200 is thrown', async () => {
    const { openapi } = await start()
    const created = await openapi.wxacode.createQRCode({ path: 'pages/index/index?id=1' })
    expect(created.contentType).toBe('image/png')
    expect(scan(created.buffer)).toBe('pages/index/index?id=1')
    expect(scan((await openapi.wxacode.get({ path: 'pages/a/a', autoColor: true, envVersion: 'trial' })).buffer)).toBe('pages/a/a')
    expect(scan((await openapi.wxacode.getUnlimited({ scene: 'a=1&b=2', page: 'pages/b/b', checkPath: false })).buffer)).toBe('a=1&b=2')
    const error = await failure(openapi.wxacode.getUnlimited({ scene: '' }))
    expect(error).toMatchObject({ code: 'WECHAT_API_ERROR', details: { errcode: 40169 } })
  })

  it('img.scanQRCode decodes an uploaded image or one at imgUrl; aiCrop and superresolution', async () => {
    const { openapi } = await start()
    const scanned = await openapi.img.scanQRCode({ img: await png('hello qr') })
    expect(scanned.codeResults).toEqual([expect.objectContaining({ typeName: 'QR_CODE', data: 'hello qr' })])
    expect(scanned.codeResults[0]!.pos?.leftTop).toEqual({ x: expect.any(Number), y: expect.any(Number) })
    expect(scanned.imgSize).toEqual({ w: 200, h: 200 })
    const picture = await png('from a url')
    const host = await serve(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' }).end(picture.value)
      return true
    })
    try {
      const byUrl = await openapi.img.scanQRCode({ imgUrl: `${host.url}/code.png` })
      expect(byUrl.codeResults.map((result) => result.data)).toEqual(['from a url'])
    } finally {
      await host.close()
    }
    expect((await openapi.img.aiCrop({ img: picture })).results).toEqual([{ cropLeft: 0, cropTop: 0, cropRight: 200, cropBottom: 200 }])
    const { mediaId } = await openapi.img.superresolution({ img: picture })
    expect(decodeImage((await openapi.customerServiceMessage.getTempMedia({ mediaId })).buffer)).toMatchObject({ width: 400 })
  })

  it('urlscheme.generate, urllink.generate, phonenumber.getPhoneNumber', async () => {
    const { openapi, service } = await start()
    const { openlink } = await openapi.urlscheme.generate({
      jumpWxa: { path: 'pages/a/a', query: 'x=1', envVersion: 'release' },
      isExpire: true,
      expireType: 1,
      expireInterval: 1,
    })
    expect(openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=/)
    expect((await openapi.urllink.generate({ path: 'pages/a/a' })).urlLink).toMatch(/^https:\/\/wxaurl\.cn\//)
    const code = service.mintPhoneNumberCode(APP.appId, { purePhoneNumber: '5550100', countryCode: '1' })
    const { phoneInfo } = await openapi.phonenumber.getPhoneNumber({ code })
    expect(phoneInfo).toEqual({
      phoneNumber: '+15550100',
      purePhoneNumber: '5550100',
      countryCode: '1',
      watermark: { timestamp: expect.any(Number), appid: APP.appId },
    })
    expect((await failure(openapi.phonenumber.getPhoneNumber({ code }))).details?.['errcode']).toBe(40029)
  })

  it('the emulated WeChat refuses an access_token repeated in the body (47001), as WeChat does', async () => {
    const { apiBaseUrl, openapi } = await start()
    const { accessToken } = await openapi.auth.getAccessToken()
    const response = await fetch(`${apiBaseUrl}/wxa/getwxacodeunlimit?access_token=${accessToken}`, {
      method: 'POST',
      body: JSON.stringify({ scene: 'a', access_token: accessToken }),
    })
    expect(await response.json()).toMatchObject({ errcode: 47001 })
  })

  it('with the reply window enforced, customer-service messages reach only users who wrote within it (45015)', async () => {
    const wechat = await startEmulatedWeChat()
    const service = createOpenApiService({ customerServiceWindowSeconds: 48 * 3600, nowSeconds: () => Math.floor(wechat.now() / 1000) })
    serveOpenApis(wechat.emulator, service)
    const openapi = createOpenApi({ ...APP, apiBaseUrl: wechat.apiBaseUrl })
    const send = () => openapi.customerServiceMessage.send({ touser: USER, msgtype: 'text', text: { content: 'hi' } })
    expect((await failure(send())).details?.['errcode']).toBe(45015)
    service.noteUserMessage(APP.appId, USER)
    wechat.advance(47 * 3600_000)
    expect(await send()).toEqual({})
    wechat.advance(2 * 3600_000)
    expect((await failure(send())).details?.['errcode']).toBe(45015)
  })

  it('a revoked token is replaced once and the call goes through', async () => {
    const { openapi, emulator } = await start()
    await openapi.urllink.generate({})
    emulator.revokeTokens(APP.appId)
    expect((await openapi.urllink.generate({})).urlLink).toEqual(expect.any(String))
    expect(emulator.counters.rejectedTokens).toBe(1)
  })

  it('refuses bad parameters before sending anything, and getOpenData outside a cloud function', async () => {
    const { openapi, emulator } = await start()
    const unknown = await failure(openapi.urllink.generate({ path: 'a', pageURL: 'b' } as never))
    expect(unknown).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(unknown.message).toMatch(/unknown parameter pageURL/)
    expect((await failure(openapi.subscribeMessage.send({ touser: USER } as never))).message).toMatch(/templateId is required/)
    expect((await failure(openapi.wxacode.get({ path: 'a', lineColor: { r: 1, g: 2 } } as never))).message).toMatch(
      /lineColor\.b is required/,
    )
    expect((await failure(openapi.img.aiCrop({ img: { contentType: 'image/png', value: 'text' } } as never))).code).toBe('INVALID_OPTIONS')
    expect((await failure(openapi.getOpenData({ list: ['x'] }))).code).toBe('NOT_SUPPORTED')
    expect(() => createOpenApi({ cloud: {} as never })).toThrow(/wx-server-sdk's cloud/)
    expect(emulator.counters.tokenRequests).toBe(0)
  })
})
