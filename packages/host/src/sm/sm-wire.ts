import { sm2, sm3, sm4 } from 'sm-crypto-v2'

/** The one algorithm suite of wire version 1, named in every sealed object so a peer can refuse any other. */
export const SM_ALGORITHM = 'SM2-C1C3C2/SM4-CBC-PKCS7/HMAC-SM3'
/** The first field of every MAC input: the scheme and its version. */
export const SM_SCHEME = 'page-module-sm/1'
/** sm-crypto(-v2)'s `cipherMode` for C1C3C2 (0 would be C1C2C3, Bouncy Castle's SM2Engine default). */
export const SM2_C1C3C2 = 1

/** The envelope's `data` of a protected call. */
export interface SealedRequest {
  readonly alg: typeof SM_ALGORITHM
  /** SM2 encryption (C1C3C2, C1 as `04‖x‖y`) of the 32-byte call secret, hex. */
  readonly key: string
  /** 16-byte SM4-CBC IV, hex. */
  readonly iv: string
  /** SM4-CBC/PKCS#7 of the UTF-8 JSON of `data` (empty when `data` is undefined), hex. */
  readonly ct: string
  /** HMAC-SM3 over the MAC input (docs/protocol.md), hex. */
  readonly mac: string
}

/** The answer's `data` of a protected call: the same, without `key` (the caller holds the call secret). */
export type SealedAnswer = Omit<SealedRequest, 'key'>

/** Where a sealed object belongs: the MAC binds it to one call and one direction. */
export interface SealBinding {
  readonly direction: 'request' | 'response'
  readonly module: string
  readonly method: string
  readonly requestId: string
  readonly timestamp: number
  /** `request`: the `key` field; `response`: the answer's `code` in decimal. */
  readonly keyOrCode: string
}

/** The call secret split into its SM4 key (bytes 0–15) and HMAC-SM3 key (bytes 16–31). */
export interface CallKeys {
  readonly encryption: Uint8Array
  readonly authentication: Uint8Array
}

export const CALL_SECRET_BYTES = 32

export function callKeysOf(secret: Uint8Array): CallKeys {
  return { encryption: secret.slice(0, 16), authentication: secret.slice(16, 32) }
}

/** Encrypts `data` and authenticates it with its binding; `iv` is 16 fresh random bytes. */
export function sealData(data: unknown, keys: CallKeys, iv: Uint8Array, binding: SealBinding): SealedAnswer {
  const plaintext = data === undefined ? new Uint8Array(0) : utf8Bytes(JSON.stringify(data))
  const ciphertext = sm4.encrypt(plaintext, keys.encryption, { mode: 'cbc', iv, padding: 'pkcs#7', output: 'array' })
  const ivHex = toHex(iv)
  const ctHex = toHex(ciphertext)
  return { alg: SM_ALGORITHM, iv: ivHex, ct: ctHex, mac: macOf(keys, binding, ivHex, ctHex) }
}

/** Checks the MAC (before any decryption), then decrypts and parses; throws PROTECTION_FAILED on any mismatch. */
export function openData(sealed: SealedAnswer, keys: CallKeys, binding: SealBinding): unknown {
  if (!constantTimeEqual(macOf(keys, binding, sealed.iv, sealed.ct), sealed.mac.toLowerCase())) {
    throw protectionFailed(
      `the ${binding.direction}'s HMAC-SM3 does not match: it was altered, belongs to another call, or the key is wrong`,
    )
  }
  let plaintext: Uint8Array
  try {
    plaintext = sm4.decrypt(sealed.ct, keys.encryption, { mode: 'cbc', iv: sealed.iv, padding: 'pkcs#7', output: 'array' })
  } catch (error) {
    throw protectionFailed(`the ${binding.direction}'s SM4 ciphertext cannot be decrypted (${(error as Error).message})`)
  }
  if (plaintext.length === 0) return undefined
  try {
    return JSON.parse(sm2.arrayToUtf8(plaintext)) as unknown
  } catch {
    throw protectionFailed(`the ${binding.direction}'s plaintext is not JSON`)
  }
}

/** Reads a sealed object's fields, refusing anything but wire version 1 with well-formed hex. */
export function readSealed(value: unknown, withKey: boolean): SealedRequest {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  if (record.alg !== SM_ALGORITHM)
    throw protectionFailed(`the sealed data names algorithm ${JSON.stringify(record.alg)}; this side speaks ${SM_ALGORITHM}`)
  const iv = hexField(record, 'iv', 32, 32)
  const ct = hexField(record, 'ct', 32, Number.MAX_SAFE_INTEGER)
  if (ct.length % 32 !== 0) throw protectionFailed('`ct` is not a whole number of SM4 blocks')
  const mac = hexField(record, 'mac', 64, 64)
  // 04 ‖ x ‖ y (65 bytes) + C3 (32 bytes) + C2 (the 32-byte secret).
  const key = withKey ? hexField(record, 'key', 2 * (65 + 32 + CALL_SECRET_BYTES), 2 * (65 + 32 + CALL_SECRET_BYTES)) : ''
  return { alg: SM_ALGORITHM, key, iv, ct, mac }
}

/**
 * The MAC input: each field as a 4-byte big-endian length and its UTF-8 bytes, in this order: scheme, direction,
 * algorithm, module, method, requestId, timestamp (decimal), key (request) or code (response), iv, ct.
 */
export function macInput(binding: SealBinding, ivHex: string, ctHex: string): Uint8Array {
  const fields = [
    SM_SCHEME,
    binding.direction,
    SM_ALGORITHM,
    binding.module,
    binding.method,
    binding.requestId,
    String(binding.timestamp),
    binding.keyOrCode,
    ivHex,
    ctHex,
  ].map(utf8Bytes)
  const total = fields.reduce((sum, field) => sum + 4 + field.length, 0)
  const input = new Uint8Array(total)
  let offset = 0
  for (const field of fields) {
    const length = field.length
    input[offset] = (length >>> 24) & 0xff
    input[offset + 1] = (length >>> 16) & 0xff
    input[offset + 2] = (length >>> 8) & 0xff
    input[offset + 3] = length & 0xff
    input.set(field, offset + 4)
    offset += 4 + length
  }
  return input
}

function macOf(keys: CallKeys, binding: SealBinding, ivHex: string, ctHex: string): string {
  return sm3(macInput(binding, ivHex, ctHex), { key: keys.authentication })
}

/** Why a sealed object was refused; each side turns it into its own PageModuleError. */
export class SealRefused extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'SealRefused'
  }
}

function protectionFailed(reason: string): SealRefused {
  return new SealRefused(reason)
}

export function utf8Bytes(text: string): Uint8Array {
  return text === '' ? new Uint8Array(0) : sm2.hexToArray(sm2.utf8ToHex(text))
}

export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (let index = 0; index < bytes.length; index++) hex += ((bytes[index] as number) + 0x100).toString(16).slice(1)
  return hex
}

function hexField(record: Record<string, unknown>, name: string, minLength: number, maxLength: number): string {
  const value = record[name]
  if (
    typeof value !== 'string' ||
    value.length < minLength ||
    value.length > maxLength ||
    value.length % 2 !== 0 ||
    !/^[0-9a-fA-F]*$/.test(value)
  )
    throw protectionFailed(`the sealed data's \`${name}\` is not hex of the expected length`)
  return value.toLowerCase()
}

function constantTimeEqual(left: string, right: string): boolean {
  if (left.length !== right.length) return false
  let difference = 0
  for (let index = 0; index < left.length; index++) difference |= left.charCodeAt(index) ^ right.charCodeAt(index)
  return difference === 0
}
