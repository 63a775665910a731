import { describe, expect, it } from 'vitest'
import { createMessageCrypto } from './message-crypto'

// WxJava WxCryptUtilTest / the official WXBizMsgCrypt Java sample.
const JAVA = { token: 'pamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wxb11529c136998cb6' }
const RANDOM = Buffer.from('aaaabbbbccccdddd')
const REPLY_2 =
  '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName>' +
  '<CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUx' +
  'qdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBack' +
  'ReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]>' +
  '</Description></Video></xml>'
const ENCRYPTED_2 =
  'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4' +
  'RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fV' +
  'AbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/w' +
  'M9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27' +
  'OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+x' +
  'RTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/' +
  'Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIc' +
  'h3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaB' +
  'ropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb'

// The official C# sample (WeCom's WXBizMsgCrypt), with its msg_signature.
const CSHARP = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', appId: 'wx5823bf96d3bd56c7' }
const CSHARP_ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWf' +
  'rf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLY' +
  'L42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+Ltw' +
  'Gc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BC' +
  'A9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx' +
  '4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDA' +
  'Ve0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=='
const CSHARP_QUERY = { msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' }

describe('createMessageCrypto (WXBizMsgCrypt)', () => {
  it('reproduces the published ciphertexts (vectors a and b)', () => {
    const crypto = createMessageCrypto(JAVA)
    expect(crypto.encrypt('我是中文abcd123', { random: RANDOM }).encrypt).toBe(
      'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
    )
    expect(crypto.encrypt(REPLY_2, { random: RANDOM }).encrypt).toBe(ENCRYPTED_2)
  })

  it('decrypts the official C# sample after checking its msg_signature', () => {
    const message = createMessageCrypto(CSHARP).decrypt({ ...CSHARP_QUERY, encrypt: CSHARP_ENCRYPT })
    expect(message).toBe(
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n' +
        '<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n' +
        '<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
    )
  })

  it('round-trips a signed reply', () => {
    const crypto = createMessageCrypto(JAVA)
    const reply = crypto.encrypt('<xml>hi</xml>', { timestamp: '1409304348', nonce: 'xxxxxx' })
    expect(reply).toMatchObject({ timeStamp: '1409304348', nonce: 'xxxxxx' })
    expect(crypto.decrypt({ msgSignature: reply.msgSignature, timestamp: '1409304348', nonce: 'xxxxxx', encrypt: reply.encrypt })).toBe(
      '<xml>hi</xml>',
    )
  })

  it('throws typed errors for a bad signature, a foreign appid, a wrong key and bad padding — never an empty result', () => {
    const crypto = createMessageCrypto(CSHARP)
    expect(() => crypto.decrypt({ ...CSHARP_QUERY, msgSignature: '0'.repeat(40), encrypt: CSHARP_ENCRYPT })).toThrowError(
      expect.objectContaining({ code: 'WECHAT_PUSH_SIGNATURE_MISMATCH' }),
    )
    const foreign = createMessageCrypto({ ...CSHARP, appId: 'wx0000000000000000' })
    expect(() => foreign.decrypt({ ...CSHARP_QUERY, encrypt: CSHARP_ENCRYPT })).toThrowError(
      expect.objectContaining({ code: 'WECHAT_PUSH_APPID_MISMATCH' }),
    )
    const wrongKey = createMessageCrypto({ ...CSHARP, encodingAesKey: JAVA.encodingAesKey })
    expect(() => wrongKey.decrypt({ ...CSHARP_QUERY, encrypt: CSHARP_ENCRYPT })).toThrowError(
      expect.objectContaining({ code: expect.stringMatching(/^WECHAT_PUSH_(DECRYPT_FAILED|APPID_MISMATCH)$/) }),
    )
    // A block whose last byte is 0 (wechatpy would return an empty string here).
    const zeroPad = Buffer.alloc(32).toString('base64')
    const signed = { timestamp: '1', nonce: '2', encrypt: zeroPad }
    expect(() => crypto.decrypt({ ...signed, msgSignature: crypto.signature(signed) })).toThrowError(
      expect.objectContaining({ code: 'WECHAT_PUSH_DECRYPT_FAILED' }),
    )
    expect(() => createMessageCrypto({ ...CSHARP, encodingAesKey: 'short' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    )
  })
})
