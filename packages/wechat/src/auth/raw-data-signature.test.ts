import { describe, expect, it } from 'vitest'
import { loginStateSignature, verifyLoginState, verifyRawData } from './raw-data-signature'

describe('verifyRawData', () => {
  // The documentation's example.
  const rawData =
    '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN",' +
    '"avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ' +
    '1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}'
  const sessionKey = 'HyVFkGl5F5OQWJZZaNzBBg=='

  it('accepts the documented signature and refuses a changed rawData or key', () => {
    const signature = '75e81ceda165f4ffa64f4068af58c64b8f54b88c'
    expect(verifyRawData({ rawData, signature, sessionKey })).toBe(true)
    expect(verifyRawData({ rawData: rawData.replace('Band', 'Bond'), signature, sessionKey })).toBe(false)
    expect(verifyRawData({ rawData, signature, sessionKey: 'o0q0otL8aEzpcZL/FT9WsQ==' })).toBe(false)
    expect(verifyRawData({ rawData, signature: signature.slice(0, 20), sessionKey })).toBe(false)
  })
})

describe('login-state signature', () => {
  it('keys the HMAC with the session_key string itself (the documented example)', () => {
    const sessionKey = 'o0q0otL8aEzpcZL/FT9WsQ=='
    const signature = loginStateSignature({ sessionKey, message: '{"foo":"bar"}' })
    expect(signature).toBe('654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b')
    expect(verifyLoginState({ sessionKey, message: '{"foo":"bar"}', signature })).toBe(true)
    expect(verifyLoginState({ sessionKey, message: '{"foo":"baz"}', signature })).toBe(false)
    expect(loginStateSignature({ sessionKey })).toBe('46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128')
  })
})
