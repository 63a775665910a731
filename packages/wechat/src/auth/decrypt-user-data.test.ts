import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptUserData } from './decrypt-user-data'

// The official sample (developers.weixin.qq.com, used by wechatpy and WxJava's tests).
const SAMPLE = {
  appId: 'wx4f4bc4dec97d474b',
  sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
  iv: 'r7BXXKkLb8qrSNn05n0qiA==',
  encryptedData:
    'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9u' +
    'T5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuab' +
    'NPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7sa' +
    'L8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2Si' +
    'RS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK0' +
    '1EpqOyuxINew==',
}

function encrypt(plaintext: string, key: Buffer, iv: Buffer): string {
  const cipher = createCipheriv('aes-128-cbc', key, iv)
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64')
}

describe('decryptUserData', () => {
  it('decrypts the official sample to the documented plaintext', () => {
    const data = decryptUserData(SAMPLE)
    expect(createHash('sha256').update(JSON.stringify(data)).digest('hex')).toBe(
      '3237d8a5dbd413523c194882c7156544d8a06e2afcc97383cc300c17bd09391b',
    )
    expect(data).toMatchObject({
      openId: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE',
      nickName: 'Band',
      unionId: 'ocMvos6NjeKLIBqg5Mr9QjxrP1FA',
      watermark: { timestamp: 1477314187, appid: 'wx4f4bc4dec97d474b' },
    })
  })

  it('refuses data whose watermark names another app', () => {
    expect(() => decryptUserData({ ...SAMPLE, appId: 'wx0000000000000001' })).toThrowError(
      expect.objectContaining({ code: 'WECHAT_WATERMARK_MISMATCH' }),
    )
  })

  it('throws WECHAT_DECRYPT_FAILED for a wrong session key, never a partial result', () => {
    expect(() => decryptUserData({ ...SAMPLE, sessionKey: 'o0q0otL8aEzpcZL/FT9WsQ==' })).toThrowError(
      expect.objectContaining({ code: 'WECHAT_DECRYPT_FAILED' }),
    )
  })

  it('throws WECHAT_DECRYPT_FAILED for a plaintext that is not JSON, a truncated ciphertext, a short iv or non-base64', () => {
    const key = randomBytes(16)
    const iv = randomBytes(16)
    const sessionKey = key.toString('base64')
    const notJson = { appId: 'wxa', sessionKey, iv: iv.toString('base64'), encryptedData: encrypt('hello', key, iv) }
    const truncated = { ...SAMPLE, encryptedData: Buffer.from(SAMPLE.encryptedData, 'base64').subarray(0, 20).toString('base64') }
    for (const input of [notJson, truncated, { ...SAMPLE, iv: 'AAAA' }, { ...SAMPLE, encryptedData: 'not base64!' }]) {
      expect(() => decryptUserData(input)).toThrowError(expect.objectContaining({ code: 'WECHAT_DECRYPT_FAILED' }))
    }
  })

  it('decrypts what AES-128-CBC encrypted with a fresh session key, watermark included', () => {
    const key = randomBytes(16)
    const iv = randomBytes(16)
    const payload = { phoneNumber: '13800000000', watermark: { appid: 'wxapp', timestamp: 1700000000 } }
    const encryptedData = encrypt(JSON.stringify(payload), key, iv)
    expect(decryptUserData({ appId: 'wxapp', sessionKey: key.toString('base64'), iv: iv.toString('base64'), encryptedData })).toEqual(
      payload,
    )
  })
})
