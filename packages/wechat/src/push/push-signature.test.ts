import { describe, expect, it } from 'vitest'
import { answerEchostr, pushSignature, verifySignature } from './push-signature'

describe('push signatures (official and wechatpy examples)', () => {
  it('verifies the official server-verification example and answers its echostr', () => {
    const query = { token: 'AAAAA', signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696', timestamp: '1714036504', nonce: '1514711492' }
    expect(verifySignature(query)).toBe(true)
    expect(answerEchostr({ ...query, echostr: '4375120948345356249' })).toBe('4375120948345356249')
    expect(answerEchostr({ ...query, token: 'BBBBB', echostr: '4375120948345356249' })).toBeUndefined()
  })

  it('verifies the official plain-mode JSON push example', () => {
    expect(pushSignature(['AAAAA', '1714037059', '486452656'])).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78')
    expect(
      verifySignature({
        token: 'AAAAA',
        signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78',
        timestamp: '1714037059',
        nonce: '486452656',
      }),
    ).toBe(true)
  })

  it("verifies wechatpy's example and refuses tampering or missing values", () => {
    const query = { token: 'test', signature: 'f21891de399b4e33a1a93c9a7b8a8fffb5a443ff', timestamp: '1410685589', nonce: 'test' }
    expect(verifySignature(query)).toBe(true)
    expect(verifySignature({ ...query, timestamp: '1410685590' })).toBe(false)
    expect(verifySignature({ ...query, nonce: null })).toBe(false)
    expect(verifySignature({ ...query, signature: '' })).toBe(false)
  })
})
