import { createECDH, createHash } from 'node:crypto'

// GM/T 0003.1-2012's curve: y² = x³ + ax + b over p (p ≡ 3 mod 4, so a square root is one modular power), order n.
const P = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF')
const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123')
const A = P - 3n
const B = BigInt('0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93')

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let factor = base % P
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * factor) % P
    factor = (factor * factor) % P
  }
  return result
}

const hex32 = (value: bigint) => value.toString(16).padStart(64, '0')

function sm3(...parts: Buffer[]): Buffer {
  const hash = createHash('sm3')
  for (const part of parts) hash.update(part)
  return hash.digest()
}

/** GM/T 0003.4's KDF: SM3(Z ‖ counter) for counter = 1, 2, …, cut to `length` bytes. */
function kdf(z: Buffer, length: number): Buffer {
  const blocks: Buffer[] = []
  for (let counter = 1; blocks.length * 32 < length; counter += 1) {
    const count = Buffer.alloc(4)
    count.writeUInt32BE(counter)
    blocks.push(sm3(z, count))
  }
  return Buffer.concat(blocks).subarray(0, length)
}

function c3c2Of(x2Bytes: Buffer, y2Bytes: Buffer, message: Buffer): { c3: Buffer; c2: Buffer } {
  const t = kdf(Buffer.concat([x2Bytes, y2Bytes]), message.length)
  return { c3: sm3(x2Bytes, message, y2Bytes), c2: Buffer.from(message.map((byte, index) => byte ^ t[index]!)) }
}

/**
 * The same oracle's SM2 encryption (C1C3C2, hex with the `04` prefix) to a key pair the test holds: OpenSSL computes
 * C1 = k·G and k·P as (k·d mod n)·G, so no curve arithmetic of ours is involved.
 */
export function encryptSm2WithOpenSsl(message: Buffer, privateKeyHex: string): string {
  const ephemeral = createECDH('SM2')
  ephemeral.generateKeys()
  const k = BigInt(`0x${ephemeral.getPrivateKey('hex')}`)
  const shared = createECDH('SM2')
  shared.setPrivateKey(Buffer.from(hex32((k * BigInt(`0x${privateKeyHex}`)) % N), 'hex'))
  const point = shared.getPublicKey()
  const { c3, c2 } = c3c2Of(point.subarray(1, 33), point.subarray(33, 65), message)
  return Buffer.concat([ephemeral.getPublicKey(), c3, c2]).toString('hex')
}

/**
 * A test oracle that shares no code with sm-crypto-v2: SM2 decryption of a C1C3C2 ciphertext (hex, `04` ‖ x1 ‖ y1 ‖
 * C3 ‖ C2) with OpenSSL doing the curve arithmetic (ECDH on `SM2` gives x2 of d·C1), y2 recovered from the curve
 * equation, and the KDF and C3 check written here from the standard. Throws when C3 does not match.
 */
export function decryptSm2WithOpenSsl(cipherHex: string, privateKeyHex: string): Buffer {
  const cipher = Buffer.from(cipherHex, 'hex')
  const c1 = cipher.subarray(0, 65)
  const c3 = cipher.subarray(65, 97)
  const c2 = cipher.subarray(97)
  const ecdh = createECDH('SM2')
  ecdh.setPrivateKey(Buffer.from(privateKeyHex, 'hex'))
  const x2 = BigInt(`0x${ecdh.computeSecret(c1).toString('hex')}`)
  const root = power((x2 * x2 * x2 + A * x2 + B) % P, (P + 1n) / 4n)
  for (const y2 of [root, P - root]) {
    const x2Bytes = Buffer.from(hex32(x2), 'hex')
    const y2Bytes = Buffer.from(hex32(y2), 'hex')
    const t = kdf(Buffer.concat([x2Bytes, y2Bytes]), c2.length)
    const message = Buffer.from(c2.map((byte, index) => byte ^ t[index]!))
    if (c3c2Of(x2Bytes, y2Bytes, message).c3.equals(c3)) return message
  }
  throw new Error('C3 does not match: not encrypted for this key')
}
