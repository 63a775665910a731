import { describe, expect, it } from 'vitest'
import { OPEN_APIS } from './api-table'
import { fromWire, toWire } from './field-convert'

describe('toWire / fromWire by explicit field maps', () => {
  it('maps named fields (nested too), leaves user map keys alone, splits query, body and files', () => {
    const get = toWire(
      OPEN_APIS.wxacode.get.request,
      { path: 'p', lineColor: { r: 1, g: 2, b: 3 }, autoColor: false, envVersion: 'develop' },
      'wxacode.get',
    )
    expect(get).toEqual({
      body: { path: 'p', line_color: { r: 1, g: 2, b: 3 }, auto_color: false, env_version: 'develop' },
      query: {},
      media: {},
    })
    const data = { myKey: { value: 'a' }, ABC: { value: 'b' }, aBC: { value: 'c' } }
    expect(toWire(OPEN_APIS.subscribeMessage.send.request, { touser: 'o', templateId: 't', data }, 'send').body['data']).toBe(data)
    const image = { contentType: 'image/png', value: Buffer.from('x') }
    expect(toWire(OPEN_APIS.img.aiCrop.request, { img: image, imgUrl: 'https://a/b.png' }, 'aiCrop')).toEqual({
      body: {},
      query: { img_url: 'https://a/b.png' },
      media: { img: image },
    })
  })

  it('answers camelCase for the named fields only, ids as exact strings, bignumber.js values unwrapped', () => {
    const bigNumber = { _isBigNumber: true, toFixed: () => '1730583985829494784' }
    expect(fromWire(OPEN_APIS.subscribeMessage.send.response, { msgid: bigNumber, extra: 1 })).toEqual({ msgId: '1730583985829494784' })
    expect(fromWire(OPEN_APIS.subscribeMessage.send.response, { msgid: 12 })).toEqual({ msgId: '12' })
    const answer = fromWire(OPEN_APIS.img.scanQRCode.response, {
      code_results: [
        {
          type_name: 'QR_CODE',
          data: 'x',
          pos: { left_top: { x: 1, y: 2 }, right_top: { x: 3, y: 2 }, right_bottom: { x: 3, y: 4 }, left_bottom: { x: 1, y: 4 } },
        },
      ],
      img_size: { w: { _isBigNumber: true, toFixed: () => '10' }, h: 10 },
    })
    expect(answer).toEqual({
      codeResults: [
        {
          typeName: 'QR_CODE',
          data: 'x',
          pos: { leftTop: { x: 1, y: 2 }, rightTop: { x: 3, y: 2 }, rightBottom: { x: 3, y: 4 }, leftBottom: { x: 1, y: 4 } },
        },
      ],
      imgSize: { w: 10, h: 10 },
    })
  })

  it('refuses unknown and missing parameters, at any depth', () => {
    expect(() => toWire(OPEN_APIS.urllink.generate.request, { pageURL: 'x' }, 'urllink.generate')).toThrow(/unknown parameter pageURL/)
    expect(() => toWire(OPEN_APIS.urlscheme.generate.request, { jumpWxa: { path: 'a', page_url: 'b' } }, 'u')).toThrow(
      /unknown parameter jumpWxa\.page_url/,
    )
    expect(() => toWire(OPEN_APIS.security.msgSecCheck.request, { openid: 'o', scene: 1 }, 'm')).toThrow(/content is required/)
    expect(() => toWire(OPEN_APIS.img.scanQRCode.request, { img: { contentType: 'image/png' } }, 's')).toThrow(/img must be/)
  })
})
