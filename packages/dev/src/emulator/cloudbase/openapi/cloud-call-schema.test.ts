import { describe, expect, it } from 'vitest'
import { commApiData, commOpenApiResp } from './cloud-call-schema'

// Golden bytes captured from wx-server-sdk 4.0.2 (round2-spec §7.3).
const SUBSCRIBE_SEND =
  '0800124b0a110a06746f757365721207226f55534552220a200a046461746112187b227468696e' +
  '6731223a7b2276616c7565223a2278227d7d0a140a0b74656d706c6174655f696412052254504c22'
const OK_REPLY =
  '0a277b22657272636f6465223a302c226572726d7367223a226f6b222c226d73676964223a31' +
  '32337d121f6170706c69636174696f6e2f6a736f6e3b20636861727365743d5554462d3820c801'

describe('cloud-call schema', () => {
  it('decodes the CommApiData wx-server-sdk sends for subscribeMessage.send', () => {
    const message = commApiData.decode(Buffer.from(SUBSCRIBE_SEND, 'hex'))
    expect(message.apiType).toBe(0)
    const pairs = message.openapiData?.pairs?.map((pair) => [pair.key, Buffer.from(pair.value).toString()])
    expect(pairs).toEqual([
      ['touser', '"oUSER"'],
      ['data', '{"thing1":{"value":"x"}}'],
      ['template_id', '"TPL"'],
    ])
  })

  it('encodes the CommOpenApiResp wx-server-sdk accepts, byte for byte', () => {
    const bytes = commOpenApiResp.encode({
      respData: Buffer.from('{"errcode":0,"errmsg":"ok","msgid":123}'),
      contentType: 'application/json; charset=UTF-8',
      httpCode: 200,
    })
    expect(bytes.toString('hex')).toBe(OK_REPLY)
  })
})
