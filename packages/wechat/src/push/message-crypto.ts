import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { sameText } from '../auth/raw-data-signature'
import { pushError } from './push-errors'
import { pushSignature } from './push-signature'

export interface MessageCryptoOptions {
  /** The Token set beside the push URL. */
  readonly token: string
  /** The 43-character EncodingAESKey. */
  readonly encodingAesKey: string
  /** The AppID (or corpid) every message must carry at its end. */
  readonly appId: string
}

export interface EncryptedReply {
  readonly encrypt: string
  readonly msgSignature: string
  readonly timeStamp: string
  readonly nonce: string
}

export interface MessageCrypto {
  /** `msg_signature = sha1(sort([token, timestamp, nonce, encrypt]))`. */
  signature(input: { timestamp: string; nonce: string; encrypt: string }): string
  /** The message text, once its signature, padding and appid are checked (typed errors otherwise). */
  decrypt(input: { msgSignature: string | null; timestamp: string | null; nonce: string | null; encrypt: string }): string
  /** Encrypts and signs a reply; `random` (16 bytes) is for reproducing published vectors only. */
  encrypt(message: string, options?: { timestamp?: string; nonce?: string; random?: Buffer }): EncryptedReply
}

const BLOCK_SIZE = 32

/**
 * WXBizMsgCrypt, safe mode's message encryption: AES-256-CBC with key = base64(EncodingAESKey + '='), iv = key[0..16),
 * PKCS#7 to 32-byte blocks, plaintext = 16 random bytes ‖ uint32 BE length ‖ message ‖ appid.
 */
export function createMessageCrypto(options: MessageCryptoOptions): MessageCrypto {
  if (typeof options.encodingAesKey !== 'string' || !/^[A-Za-z0-9+/]{43}$/.test(options.encodingAesKey)) {
    throw pushError('INVALID_OPTIONS', 'encodingAesKey must be the 43 characters shown beside the push URL (消息加解密密钥).')
  }
  if (!options.token || !options.appId) throw pushError('INVALID_OPTIONS', 'token and appId are required.')
  const key = Buffer.from(`${options.encodingAesKey}=`, 'base64')
  const iv = key.subarray(0, 16)
  const appId = Buffer.from(options.appId, 'utf8')

  const signature: MessageCrypto['signature'] = ({ timestamp, nonce, encrypt }) => pushSignature([options.token, timestamp, nonce, encrypt])

  return {
    signature,
    decrypt({ msgSignature, timestamp, nonce, encrypt }) {
      if (!msgSignature || !timestamp || !nonce || !sameText(signature({ timestamp, nonce, encrypt }), msgSignature.toLowerCase())) {
        throw pushError('WECHAT_PUSH_SIGNATURE_MISMATCH', 'msg_signature does not match — check the Token; the message may be forged.')
      }
      const ciphertext = Buffer.from(encrypt, 'base64')
      const failed = (why: string) =>
        pushError('WECHAT_PUSH_DECRYPT_FAILED', `could not decrypt the message: ${why} — check the EncodingAESKey.`)
      if (ciphertext.length === 0 || ciphertext.length % BLOCK_SIZE !== 0) throw failed('its length is not a whole number of blocks')
      const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false)
      const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()])
      const pad = padded[padded.length - 1] as number
      if (pad < 1 || pad > BLOCK_SIZE || !padded.subarray(padded.length - pad).every((byte) => byte === pad)) throw failed('bad padding')
      const plain = padded.subarray(0, padded.length - pad)
      if (plain.length < 20) throw failed('too short')
      const length = plain.readUInt32BE(16)
      if (20 + length > plain.length) throw failed('the length field overruns the data')
      const trailing = plain.subarray(20 + length)
      if (!trailing.equals(appId)) {
        throw pushError('WECHAT_PUSH_APPID_MISMATCH', `the message was encrypted for another app than ${options.appId} — refuse it.`)
      }
      return plain.subarray(20, 20 + length).toString('utf8')
    },
    encrypt(message, { timestamp = String(Math.floor(Date.now() / 1000)), nonce = randomNonce(), random = randomBytes(16) } = {}) {
      const body = Buffer.from(message, 'utf8')
      const length = Buffer.alloc(4)
      length.writeUInt32BE(body.length)
      const plain = Buffer.concat([random.subarray(0, 16), length, body, appId])
      const pad = BLOCK_SIZE - (plain.length % BLOCK_SIZE)
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false)
      const encrypt = Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
      return { encrypt, msgSignature: signature({ timestamp, nonce, encrypt }), timeStamp: timestamp, nonce }
    },
  }
}

function randomNonce(): string {
  return String(randomBytes(4).readUInt32BE(0))
}
