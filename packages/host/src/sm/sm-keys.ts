import { PageModuleError } from '@page-module/core'
import { sm2 } from 'sm-crypto-v2'

/** An SM2 public key as `04‖x‖y` (130 hex); the 128 hex of `x‖y` alone is accepted too. */
export function normalizePublicKey(publicKey: unknown): string {
  const hex = typeof publicKey === 'string' ? publicKey.trim().toLowerCase() : ''
  const full = /^[0-9a-f]{128}$/.test(hex) ? `04${hex}` : hex
  let valid = false
  try {
    valid = /^04[0-9a-f]{128}$/.test(full) && sm2.verifyPublicKey(full)
  } catch {
    valid = false
  }
  if (!valid)
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'publicKey must be an uncompressed SM2 public key in hex (04‖x‖y) — `page-module keys sm2` prints a pair',
    })
  return full
}

/** An SM2 private key: 64 hex, 1 ≤ d < n. */
export function normalizePrivateKey(privateKey: unknown): string {
  const hex = typeof privateKey === 'string' ? privateKey.trim().toLowerCase() : ''
  let publicKey = ''
  try {
    if (/^[0-9a-f]{64}$/.test(hex) && !/^0+$/.test(hex)) publicKey = sm2.getPublicKeyFromPrivateKey(hex)
  } catch {
    publicKey = ''
  }
  if (publicKey === '')
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'privateKey must be an SM2 private key, 64 hex — read it from an environment variable, never from client code',
    })
  return hex
}

/**
 * A fresh SM2 key pair from the library's CSPRNG. Never passes a seed: sm-crypto-v2 1.15.1's
 * `generateKeyPairHex(seed)` reduces the seed modulo 1 and so always returns the private key 1.
 */
export function generateSm2KeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = sm2.generateKeyPairHex()
  return { privateKey, publicKey }
}
