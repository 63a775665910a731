import { sm2, sm3, sm4 } from 'sm-crypto-v2'
import { describe, expect, it } from 'vitest'

// The GM/T (GB/T) vectors of docs/reference §8, through the library the protection is built on.
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'))
const hex = (array: Uint8Array | number[]) => Buffer.from(array).toString('hex')
const KEY = '0123456789abcdeffedcba9876543210'

describe('sm-crypto-v2 on the GM/T vectors', () => {
  it('SM3: GB/T 32905 examples 1 and 2', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
    expect(sm3('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732')
  })

  it('SM4: GB/T 32907 example 1 (one block) and example 2 (1,000,000 encryptions)', () => {
    expect(hex(sm4.encrypt(bytes(KEY), bytes(KEY), { padding: 'none', output: 'array' }))).toBe('681edf34d206965e86b3e94f536e4246')
    let block: Uint8Array = bytes(KEY)
    const key = bytes(KEY)
    for (let round = 0; round < 1_000_000; round++) block = sm4.encrypt(block, key, { padding: 'none', output: 'array' })
    expect(hex(block)).toBe('595298c7c6fd271f0402f804c33d3f66')
  })

  it('SM4-CBC/PKCS#7: the sm-crypto README vector (a regression vector, not a standard)', () => {
    const text = 'hello world! 我是 juneandgreen.'
    expect(sm4.encrypt(text, KEY, { mode: 'cbc', iv: 'fedcba98765432100123456789abcdef' })).toBe(
      '0d6cfa73c823b2ac0d6a92c564171892000fbea90be7a4d440bc58a9044fcb5f3d1615d91a6dbfb4dfb0c6915071527b',
    )
  })

  it('SM2: the public key of GM/T 0003.5 annex private key d', () => {
    const publicKey = sm2.getPublicKeyFromPrivateKey('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8'.toLowerCase())
    expect(publicKey).toBe(
      '04' +
        '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
        'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
    )
  })

  it('SM2 encryption round-trips in C1C3C2 and the two orders are not interchangeable', () => {
    const { publicKey, privateKey } = sm2.generateKeyPairHex()
    const message = bytes('00112233445566778899aabbccddeeff')
    const c1c3c2 = sm2.doEncrypt(message, publicKey, 1)
    expect(hex(sm2.doDecrypt(c1c3c2, privateKey, 1, { output: 'array' }))).toBe('00112233445566778899aabbccddeeff')
    expect(sm2.doDecrypt(c1c3c2, privateKey, 0, { output: 'array' })).toEqual([])
  })

  it('(why the CLI never seeds it) generateKeyPairHex(seed) gives the private key 1 in 1.15.1', () => {
    expect(sm2.generateKeyPairHex('123456789012345678901234567890').privateKey).toBe('0'.repeat(63) + '1')
    expect(sm2.generateKeyPairHex().privateKey).not.toBe('0'.repeat(63) + '1')
  })
})
