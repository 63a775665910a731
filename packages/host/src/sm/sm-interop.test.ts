import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { generateSm2KeyPair } from './sm-keys'
import { decryptSm2WithOpenSsl, encryptSm2WithOpenSsl } from '../../test/openssl-sm2'
import { describe, expect, it } from 'vitest'
import { smHostProtection, smProtection, type SealedRequest } from './index'
import type { CallEnvelope } from '@page-module/core'

// The oracles: Node's OpenSSL for SM3/HMAC-SM3/SM4-CBC and for the SM2 curve arithmetic (test/openssl-sm2.ts) —
// none of them shares code with sm-crypto-v2 (gm-crypto was tried first: its SM2 decryption fails about 1 call in 12).
// The MAC input is rebuilt here from docs/protocol.md, not from our code.
const { publicKey, privateKey } = generateSm2KeyPair()
const call = { module: 'tcb:Profile', method: 'save', requestId: 'req-0001', timestamp: 1_764_470_000_000 }

function macInputOf(fields: string[]): Buffer {
  return Buffer.concat(
    fields.flatMap((field) => {
      const bytes = Buffer.from(field, 'utf8')
      const length = Buffer.alloc(4)
      length.writeUInt32BE(bytes.length)
      return [length, bytes]
    }),
  )
}

const ALG = 'SM2-C1C3C2/SM4-CBC-PKCS7/HMAC-SM3'

describe('what smProtection sends, opened by independent SM implementations', () => {
  it('node:crypto lists SM3 and SM4-CBC (the oracle exists on this Node)', async () => {
    const { getCiphers, getHashes } = await import('node:crypto')
    expect(getHashes()).toContain('sm3')
    expect(getCiphers()).toContain('sm4-cbc')
  })

  it('OpenSSL unwraps the key (SM2, C1C3C2), checks the MAC (HMAC-SM3) and decrypts the data (SM4-CBC)', async () => {
    const data = { name: '张三', idCard: '110101199003074514', phone: '13800138000' }
    const sealed = await smProtection({ publicKey }).seal({ ...call, data })
    const wire = sealed.data as SealedRequest
    expect(Object.keys(wire).sort()).toEqual(['alg', 'ct', 'iv', 'key', 'mac'])
    expect(wire.alg).toBe(ALG)
    expect(wire.key.slice(0, 2)).toBe('04')
    expect(wire.key).toHaveLength(2 * (65 + 32 + 32))
    const secret = decryptSm2WithOpenSsl(wire.key, privateKey)
    expect(secret).toHaveLength(32)
    const mac = createHmac('sm3', secret.subarray(16, 32))
      .update(
        macInputOf([
          'page-module-sm/1',
          'request',
          ALG,
          call.module,
          call.method,
          call.requestId,
          String(call.timestamp),
          wire.key,
          wire.iv,
          wire.ct,
        ]),
      )
      .digest('hex')
    expect(wire.mac).toBe(mac)
    const decipher = createDecipheriv('sm4-cbc', secret.subarray(0, 16), Buffer.from(wire.iv, 'hex'))
    const plaintext = Buffer.concat([decipher.update(Buffer.from(wire.ct, 'hex')), decipher.final()]).toString('utf8')
    expect(JSON.parse(plaintext)).toEqual(data)
    expect(JSON.stringify(wire)).not.toMatch(/张三|110101199003074514|13800138000/)
  })

  it('the call secret unwraps with OpenSSL SM2 for 50 fresh key pairs (any ephemeral key, any leading zeros)', async () => {
    for (let round = 0; round < 50; round += 1) {
      const pair = generateSm2KeyPair()
      const sealed = await smProtection({ publicKey: pair.publicKey }).seal({ ...call, data: { round } })
      expect(decryptSm2WithOpenSsl((sealed.data as SealedRequest).key, pair.privateKey)).toHaveLength(32)
    }
  })

  it('every call gets a fresh call secret and IV', async () => {
    const protection = smProtection({ publicKey })
    const [first, second] = await Promise.all([protection.seal({ ...call, data: 1 }), protection.seal({ ...call, data: 1 })])
    const [a, b] = [first.data as SealedRequest, second.data as SealedRequest]
    expect(a.key).not.toBe(b.key)
    expect(a.iv).not.toBe(b.iv)
    expect(a.ct).not.toBe(b.ct)
  })

  it('the host opens a request built entirely by the oracles, and its answer decrypts with OpenSSL', () => {
    const secret = randomBytes(32)
    const iv = randomBytes(16)
    const cipher = createCipheriv('sm4-cbc', secret.subarray(0, 16), iv)
    const ct = Buffer.concat([cipher.update(JSON.stringify({ amount: 42 }), 'utf8'), cipher.final()]).toString('hex')
    const key = encryptSm2WithOpenSsl(secret, privateKey)
    const timestamp = Date.now()
    const fields = (direction: string, keyOrCode: string, ivHex: string, ctHex: string) =>
      macInputOf(['page-module-sm/1', direction, ALG, call.module, call.method, call.requestId, String(timestamp), keyOrCode, ivHex, ctHex])
    const mac = createHmac('sm3', secret.subarray(16))
      .update(fields('request', key, iv.toString('hex'), ct))
      .digest('hex')
    const envelope = {
      protocol: 'page-module/1',
      ...call,
      timestamp,
      client: { name: 'oracle', version: '0' },
      data: { alg: ALG, key, iv: iv.toString('hex'), ct, mac },
    } as CallEnvelope
    const opened = smHostProtection({ privateKey }).open(envelope)
    expect(opened.data).toEqual({ amount: 42 })
    const answer = opened.seal({ code: 0, data: { balance: 100 }, requestId: call.requestId }).data as Omit<SealedRequest, 'key'>
    const answerMac = createHmac('sm3', secret.subarray(16))
      .update(fields('response', '0', answer.iv, answer.ct))
      .digest('hex')
    expect(answer.mac).toBe(answerMac)
    const decipher = createDecipheriv('sm4-cbc', secret.subarray(0, 16), Buffer.from(answer.iv, 'hex'))
    expect(JSON.parse(Buffer.concat([decipher.update(Buffer.from(answer.ct, 'hex')), decipher.final()]).toString('utf8'))).toEqual({
      balance: 100,
    })
  })
})
