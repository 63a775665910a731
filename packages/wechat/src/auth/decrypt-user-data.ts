import { createDecipheriv } from 'node:crypto'
import { authError } from './auth-errors'

export interface EncryptedUserData {
  /** The mini-program's AppID: the decrypted `watermark.appid` must equal it. */
  readonly appId: string
  /** The user's session_key from code2Session (base64, 16 bytes). */
  readonly sessionKey: string
  /** `encryptedData` from getUserProfile, getPhoneNumber… (base64). */
  readonly encryptedData: string
  /** `iv` from the same call (base64, 16 bytes). */
  readonly iv: string
}

/** Every decrypted payload carries this watermark. */
export interface UserDataWatermark {
  readonly appid: string
  /** Seconds. */
  readonly timestamp: number
}

/**
 * Decrypts a mini-program's `encryptedData` (AES-128-CBC, PKCS#7, key = the session_key) and checks its watermark.
 * Any failure throws: `WECHAT_DECRYPT_FAILED` (wrong key or iv, bad padding, not JSON) or `WECHAT_WATERMARK_MISMATCH`.
 */
export function decryptUserData<Data extends object = Record<string, unknown>>(
  input: EncryptedUserData,
): Data & { watermark: UserDataWatermark } {
  const key = base64Bytes(input.sessionKey, 'sessionKey')
  const iv = base64Bytes(input.iv, 'iv')
  const ciphertext = base64Bytes(input.encryptedData, 'encryptedData', false)
  if (key.length !== 16 || iv.length !== 16 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw decryptFailed('sessionKey and iv must be 16 bytes and encryptedData a whole number of AES blocks')
  }
  let text: string
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, iv)
    text = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    throw decryptFailed('the padding is wrong: the session_key is not the one this data was encrypted with, or iv is wrong')
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw decryptFailed('the plaintext is not JSON: the session_key or iv is wrong')
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw decryptFailed('the plaintext is not a JSON object')
  const watermark = (data as { watermark?: { appid?: unknown } }).watermark
  if (typeof watermark !== 'object' || watermark === null || watermark.appid !== input.appId) {
    throw authError(
      'WECHAT_WATERMARK_MISMATCH',
      `the data's watermark names another app than ${input.appId} — it was not issued to this mini-program; refuse it.`,
      { appId: input.appId },
    )
  }
  return data as Data & { watermark: UserDataWatermark }
}

function decryptFailed(why: string) {
  return authError('WECHAT_DECRYPT_FAILED', `could not decrypt the user data: ${why} — call wx.login again and resend the data.`)
}

function base64Bytes(value: string, name: string, strict = true): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw authError('WECHAT_DECRYPT_FAILED', `${name} is not base64 — pass the value WeChat gave as it is.`)
  }
  const bytes = Buffer.from(value, 'base64')
  if (strict && bytes.length === 0) throw decryptFailed(`${name} is empty`)
  return bytes
}
