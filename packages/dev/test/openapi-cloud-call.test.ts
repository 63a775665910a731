import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import jpeg from 'jpeg-js'
import QRCode from 'qrcode'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { mountWeChatApi } from '../src/emulator/wechat/mount-wechat-api'
import { mountOpenApi, type MountedOpenApi } from '../src/emulator/wechat/openapi/mount-open-api'
import { decodeImage } from '../src/emulator/wechat/openapi/decoded-image'
import { findQrCode } from '../src/emulator/wechat/openapi/qr-code-image'
import { createWxCloudBridge } from '../src/wx-cloud-bridge'

const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
// Each test runs several functions (a process each, wx-server-sdk loaded): room for a busy machine.
vi.setConfig({ testTimeout: 60_000 })
const USER = 'oUSER-openapi-1'

let emulator: Emulator
let openApi: MountedOpenApi
let appId: string

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'openapi-test', log: () => {}, maxInstances: 2 })
  const wechat = mountWeChatApi(emulator)
  appId = wechat.appId
  openApi = mountOpenApi(emulator, wechat, {
    sensitiveWords: ['forbidden-word'],
    customerServiceWindowSeconds: 48 * 3600,
    messagePush: [{ msgType: 'text', functionName: 'message-push' }],
  })
})
afterAll(() => emulator.close())

type Answer = Record<string, unknown> & { failed?: boolean; errCode?: number; errMsg?: string; buffer?: { base64: string } }

/** Runs the fixture function as the mini-program user; `via` picks wx-server-sdk's own cloud.openapi or ours. */
async function cloudCall(api: string, data: unknown, options: { via?: 'sdk' | 'ours' | 'callOpenAPI'; fn?: string } = {}) {
  const outcome = await emulator.invokeFunction(
    options.fn ?? 'openapi-all',
    { api, data, via: options.via ?? 'sdk' },
    { openid: USER, appid: appId },
  )
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`)
  return outcome.result as Answer
}

const png = async (text: string) => ({ contentType: 'image/png', base64: (await QRCode.toBuffer(text, { width: 200 })).toString('base64') })
const scan = (base64: string) => findQrCode(decodeImage(Buffer.from(base64, 'base64'))!)?.data

describe('cloud call: wx-server-sdk 4.0.2 unchanged inside emulated functions', () => {
  it('security.msgSecCheck passes clean text and flags the configured words', async () => {
    const clean = await cloudCall('security.msgSecCheck', { openid: USER, scene: 2, version: 2, content: 'hello' })
    expect(clean).toMatchObject({ errCode: 0, errMsg: 'openapi.security.msgSecCheck:ok', result: { suggest: 'pass', label: 100 } })
    expect(clean['traceId']).toEqual(expect.any(String))
    const risky = await cloudCall('security.msgSecCheck', { openid: USER, scene: 2, version: 2, content: 'a forbidden-word here' })
    expect(risky).toMatchObject({ result: { suggest: 'risky' } })
    expect(risky['detail']).toContainEqual(expect.objectContaining({ strategy: 'keyword', keyword: 'forbidden-word' }))
    expect(await cloudCall('security.msgSecCheck', { openid: USER, scene: 9, version: 2, content: 'x' })).toMatchObject({
      failed: true,
      errCode: 40129,
    })
    const ours = await cloudCall('security.msgSecCheck', { openid: USER, scene: 9 as 1, content: 'x' }, { via: 'ours' })
    expect(ours).toMatchObject({ failed: true, code: 'WECHAT_API_ERROR' })
    expect(ours.message).toContain(`WeChat answered 40129 (invalid scene rid: `)
    expect(ours.message).toContain(`for appid ${appId}`)
  })

  it('security.imgSecCheck takes the media part', async () => {
    expect(await cloudCall('security.imgSecCheck', { media: await png('x') })).toMatchObject({ errCode: 0 })
  })

  it('subscribeMessage.send is recorded; its big msgid reaches wx-server-sdk as {s,e,c} and ours as the exact string', async () => {
    const data = { thing1: { value: 'hi' } }
    const sdk = await cloudCall('subscribeMessage.send', { touser: USER, templateId: 'TPL1', data })
    const sent = openApi.service.sent.at(-1)!
    expect(sent).toMatchObject({ api: 'subscribeMessage.send', touser: USER, body: { template_id: 'TPL1', data } })
    expect(BigInt(sent.msgId!)).toBeGreaterThan(2n ** 53n)
    expect(sdk['msgid']).toMatchObject({ s: 1, e: 18 })
    const ours = await cloudCall('subscribeMessage.send', { touser: USER, templateId: 'TPL1', data }, { via: 'ours' })
    expect(ours).toEqual({ msgId: openApi.service.sent.at(-1)!.msgId })
    expect(await cloudCall('subscribeMessage.send', { touser: USER, templateId: 'T', data: { a: {} } })).toMatchObject({
      failed: true,
      errCode: 47003,
    })
  })

  it('templateMessage.send, customerServiceMessage.send and setTyping are recorded', async () => {
    // The user wrote to the app: the 48 h customer-service window is open.
    openApi.service.noteUserMessage(appId, USER)
    await cloudCall('templateMessage.send', { touser: USER, templateId: 'T2', formId: 'F', data: { keyword1: { value: 'v' } } })
    await cloudCall('customerServiceMessage.send', { touser: USER, msgtype: 'text', text: { content: 'hi there' } })
    await cloudCall('customerServiceMessage.setTyping', { touser: USER, command: 'Typing' })
    expect(openApi.service.sent.slice(-3).map((message) => [message.api, message.body])).toEqual([
      ['templateMessage.send', { touser: USER, data: { keyword1: { value: 'v' } }, template_id: 'T2', form_id: 'F' }],
      ['customerServiceMessage.send', { touser: USER, msgtype: 'text', text: { content: 'hi there' } }],
      ['customerServiceMessage.setTyping', { touser: USER, command: 'Typing' }],
    ])
    expect(await cloudCall('customerServiceMessage.setTyping', { touser: USER, command: 'Dance' })).toMatchObject({ errCode: 45072 })
  })

  it('uploadTempMedia then getTempMedia gives the bytes back; ours keeps the content type wx-server-sdk drops', async () => {
    const image = await png('media')
    const uploaded = await cloudCall('customerServiceMessage.uploadTempMedia', { type: 'image', media: image })
    expect(uploaded).toMatchObject({ errCode: 0, type: 'image', mediaId: expect.any(String), createdAt: expect.any(Number) })
    const fetched = await cloudCall('customerServiceMessage.getTempMedia', { mediaId: uploaded['mediaId'] })
    expect(fetched.buffer?.base64).toBe(image.base64)
    // wx-server-sdk sends no part content type and names the file media.png: the extension is all the server has.
    expect(fetched['contentType']).toBe('image/png')
    const ours = await cloudCall(
      'customerServiceMessage.uploadTempMedia',
      { type: 'image', media: { ...image, contentType: 'image/png' } },
      { via: 'ours' },
    )
    expect(Object.keys(ours).sort()).toEqual(['createdAt', 'mediaId', 'type'])
  })

  it('wxacode.* answer a PNG of a QR code holding the path or scene; a bad scene is a WeChat error', async () => {
    const created = await cloudCall('wxacode.createQRCode', { path: 'pages/index/index?a=1', width: 300 })
    expect(created['contentType']).toBe('image/png')
    expect(scan(created.buffer!.base64)).toBe('pages/index/index?a=1')
    const got = await cloudCall('wxacode.get', { path: 'pages/a/a', lineColor: { r: 0, g: 0, b: 0 } })
    expect(scan(got.buffer!.base64)).toBe('pages/a/a')
    const unlimited = await cloudCall('wxacode.getUnlimited', { scene: 'id=42', page: 'pages/b/b' })
    expect(scan(unlimited.buffer!.base64)).toBe('id=42')
    const ours = await cloudCall('wxacode.getUnlimited', { scene: 'id=43' }, { via: 'ours' })
    expect(ours['contentType']).toBe('image/png')
    expect(scan(ours.buffer!.base64)).toBe('id=43')
    expect(await cloudCall('wxacode.getUnlimited', { scene: 'x'.repeat(33) })).toMatchObject({ failed: true, errCode: 40169 })
  })

  it('img.scanQRCode decodes an uploaded code; aiCrop and superresolution work on the image', async () => {
    const scanned = await cloudCall('img.scanQRCode', { img: await png('https://example.com/q?x=1') })
    expect(scanned['codeResults']).toEqual([
      expect.objectContaining({
        typeName: 'QR_CODE',
        data: 'https://example.com/q?x=1',
        pos: expect.objectContaining({ leftTop: expect.anything() }),
      }),
    ])
    expect(scanned['imgSize']).toEqual({ w: 200, h: 200 })
    const ours = await cloudCall('img.scanQRCode', { img: await png('ours') }, { via: 'ours' })
    expect(ours).toMatchObject({ codeResults: [{ typeName: 'QR_CODE', data: 'ours' }], imgSize: { w: 200, h: 200 } })
    const pixels = decodeImage(Buffer.from((await png('a jpeg')).base64, 'base64'))!
    const jpegBytes = jpeg.encode({ width: pixels.width, height: pixels.height, data: Buffer.from(pixels.data) }, 90).data
    const fromJpeg = await cloudCall('img.scanQRCode', { img: { contentType: 'image/jpeg', base64: jpegBytes.toString('base64') } })
    expect(fromJpeg['codeResults']).toEqual([expect.objectContaining({ data: 'a jpeg' })])
    const cropped = await cloudCall('img.aiCrop', { img: await png('crop') })
    expect(cropped['results']).toEqual([{ cropLeft: 0, cropTop: 0, cropRight: 200, cropBottom: 200 }])
    const sharp = await cloudCall('img.superresolution', { img: await png('big') })
    const bigger = await cloudCall('customerServiceMessage.getTempMedia', { mediaId: sharp['mediaId'] })
    expect(decodeImage(Buffer.from(bigger.buffer!.base64, 'base64'))).toMatchObject({ width: 400, height: 400 })
  })

  it('urlscheme.generate, urllink.generate and phonenumber.getPhoneNumber', async () => {
    expect(await cloudCall('urlscheme.generate', { jumpWxa: { path: 'pages/a/a', query: 'x=1' } })).toMatchObject({
      openlink: expect.stringMatching(/^weixin:\/\/dl\/business\/\?t=/),
    })
    expect(await cloudCall('urllink.generate', { path: 'pages/a/a' })).toMatchObject({ urlLink: expect.stringMatching(/^https:\/\//) })
    const code = openApi.service.mintPhoneNumberCode(appId, { purePhoneNumber: '13800000000' })
    const ours = await cloudCall('phonenumber.getPhoneNumber', { code }, { via: 'ours' })
    expect(ours).toEqual({
      phoneInfo: {
        phoneNumber: '13800000000',
        purePhoneNumber: '13800000000',
        countryCode: '86',
        watermark: { timestamp: expect.any(Number), appid: appId },
      },
    })
    expect(await cloudCall('phonenumber.getPhoneNumber', { code })).toMatchObject({ failed: true, errCode: 40029 })
  })

  it('refuses an API missing from config.json permissions.openapi with -604101, an unknown one with -604100', async () => {
    const refused = await cloudCall('urllink.generate', { path: 'pages/a/a' }, { fn: 'openapi-unlisted' })
    expect(refused).toMatchObject({ failed: true, errCode: -604101 })
    expect(refused.message).toMatch(/function has no permission to call this API/)
    expect(
      await cloudCall('security.msgSecCheck', { openid: USER, scene: 1, version: 2, content: 'ok' }, { fn: 'openapi-unlisted' }),
    ).toMatchObject({
      errCode: 0,
    })
    expect(await cloudCall('nothing.here', {})).toMatchObject({ failed: true, errCode: -604100 })
    const ours = await cloudCall('urllink.generate', { path: 'pages/a/a' }, { fn: 'openapi-unlisted', via: 'ours' })
    expect(ours).toMatchObject({ failed: true, code: 'OPENAPI_PERMISSION_DENIED' })
    expect(await cloudCall('auth.getAccessToken', {}, { via: 'ours' })).toMatchObject({ failed: true, code: 'NOT_SUPPORTED' })
  })

  it('cloud.callOpenAPI (wx.api) reaches the same APIs', async () => {
    const answer = await cloudCall('urllink.generate', { path: 'pages/a/a' }, { via: 'callOpenAPI' })
    expect(answer).toEqual({
      errMsg: 'callOpenAPI:ok',
      result: { errcode: 0, errmsg: 'ok', url_link: expect.stringMatching(/^https:\/\/wxaurl\.cn\//) },
    })
    const refused = await cloudCall('urllink.generate', { path: 'pages/a/a' }, { via: 'callOpenAPI', fn: 'openapi-unlisted' })
    expect(refused).toMatchObject({ failed: true })
    expect(refused.errMsg).toMatch(/no permission/)
  })
})

describe('open data and message push', () => {
  it('a cloudID minted by the wx.cloud bridge resolves in the function with its watermark, for that user only', async () => {
    const bridge = createWxCloudBridge({ url: emulator.url, openid: USER, appid: appId })
    const { cloudID } = await bridge.openData({ stepInfoList: [{ timestamp: 1700000000, step: 1234 }] })
    const expected = {
      cloudID,
      data: { stepInfoList: [{ timestamp: 1700000000, step: 1234 }], watermark: { timestamp: expect.any(Number), appid: appId } },
    }
    const sdk = await emulator.invokeFunction('openapi-all', { api: 'getOpenData', list: [cloudID] }, { openid: USER, appid: appId })
    expect(sdk.ok && sdk.result).toMatchObject({ list: [expected], errCode: 0 })
    const ours = await emulator.invokeFunction(
      'openapi-all',
      { api: 'getOpenData', list: [cloudID], via: 'ours' },
      { openid: USER, appid: appId },
    )
    expect(ours.ok && ours.result).toEqual({ list: [expected] })
    const stranger = await emulator.invokeFunction(
      'openapi-all',
      { api: 'getOpenData', list: [cloudID] },
      { openid: 'oOTHER', appid: appId },
    )
    expect(stranger.ok && stranger.result).toMatchObject({ failed: true, errCode: -601007 })
  })

  it('a top-level wx.cloud.CloudID in callFunction data reaches the function as { cloudID, data }; nested ones stay', async () => {
    const bridge = createWxCloudBridge({ url: emulator.url, openid: USER, appid: appId })
    const { cloudID } = await bridge.openData({ stepInfoList: [{ timestamp: 1700000000, step: 42 }] })
    const { result } = await bridge.callFunction({
      name: 'echo',
      data: { weRunData: bridge.CloudID(cloudID), nested: { inner: bridge.CloudID(cloudID) }, plain: 1 },
    })
    const { event } = result as { event: Record<string, unknown> }
    expect(event['weRunData']).toEqual({
      cloudID,
      data: { stepInfoList: [{ timestamp: 1700000000, step: 42 }], watermark: { timestamp: expect.any(Number), appid: appId } },
    })
    expect(event['nested']).toEqual({ inner: bridge.CloudID(cloudID) })
    expect(event['plain']).toBe(1)
    const stranger = createWxCloudBridge({ url: emulator.url, openid: 'oOTHER', appid: appId })
    const refused = await stranger.callFunction({ name: 'echo', data: { weRunData: stranger.CloudID(cloudID) } })
    expect((refused.result as { event: Record<string, unknown> }).event['weRunData']).toMatchObject({ cloudID, errCode: -601007 })
  })

  it('delivers a customer-service text message to the routed function, which answers by cloud call', async () => {
    const newcomer = 'oUSER-pushed-only'
    expect(await cloudCall('customerServiceMessage.send', { touser: newcomer, msgtype: 'text', text: { content: 'x' } })).toMatchObject({
      failed: true,
      errCode: 45015,
    })
    const first = await openApi.messagePush.deliver({ FromUserName: newcomer, MsgType: 'text', Content: 'hello' })
    expect(first).toMatchObject({ ok: true, result: 'success' })
    expect(openApi.service.sent.at(-1)).toMatchObject({ touser: newcomer, body: { text: { content: 'received: hello' } } })
    const outcome = await openApi.messagePush.deliver({ FromUserName: USER, MsgType: 'text', Content: 'ping' })
    expect(outcome).toMatchObject({ ok: true, result: 'success' })
    expect(openApi.service.sent.at(-1)).toMatchObject({
      api: 'customerServiceMessage.send',
      touser: USER,
      body: { touser: USER, msgtype: 'text', text: { content: 'received: ping' } },
    })
    await expect(openApi.messagePush.deliver({ FromUserName: USER, MsgType: 'image' })).rejects.toThrow(/no function is configured/)
  })
})
