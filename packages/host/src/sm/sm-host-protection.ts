import { randomBytes } from 'node:crypto'
import { PageModuleError, RESERVED_MODULE_CODES, type CallEnvelope, type ModuleResponse } from '@page-module/core'
import { sm2 } from 'sm-crypto-v2'
import type { HostProtection, OpenedCall } from '../module/host-protection'
import { normalizePrivateKey } from './sm-keys'
import { CALL_SECRET_BYTES, callKeysOf, openData, readSealed, sealData, SealRefused, SM2_C1C3C2, SM_ALGORITHM } from './sm-wire'

export interface SmHostProtectionOptions {
  /** The module's SM2 private key, 64 hex. Read it from an environment variable (`process.env.PAGE_MODULE_SM2_PRIVATE_KEY`). */
  readonly privateKey: string
  /** How far a call's timestamp may be from this function's clock. Default 5 minutes. */
  readonly maxClockSkewMs?: number
  /** The clock (ms since the epoch); for tests. */
  readonly now?: () => number
}

const FIVE_MINUTES = 5 * 60 * 1000

/**
 * The host side of `smProtection`: opens each call's SM2-wrapped, SM4-encrypted, HMAC-SM3-bound data and seals
 * the answer with the same call secret. Refuses an unprotected call (-8) and a call whose data was altered, made
 * for another call, too old, already seen by this instance, or sealed for another key (-9); the method never runs then.
 */
export function smHostProtection(options: SmHostProtectionOptions): HostProtection {
  if (typeof options !== 'object' || options === null)
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message: 'smHostProtection needs { privateKey }' })
  const privateKey = normalizePrivateKey(options.privateKey)
  const maxSkew = options.maxClockSkewMs ?? FIVE_MINUTES
  if (typeof maxSkew !== 'number' || !(maxSkew > 0))
    throw new PageModuleError({ code: 'INVALID_OPTIONS', message: 'smHostProtection: maxClockSkewMs must be a positive number of ms' })
  const now = options.now ?? Date.now
  // requestId → when it may be forgotten (its timestamp has left the window by then).
  const seen = new Map<string, number>()

  function open(envelope: CallEnvelope): OpenedCall {
    const record = envelope.data as Record<string, unknown> | undefined
    if (typeof record !== 'object' || record === null || record.alg === undefined) {
      throw new PageModuleError({
        code: 'PROTECTION_REQUIRED',
        moduleCode: RESERVED_MODULE_CODES.PROTECTION_REQUIRED,
        message:
          `${envelope.module} accepts only SM-protected calls (${SM_ALGORITHM}) — ` +
          `create the client with protection: smProtection({ publicKey }) from page-module/sm`,
      })
    }
    const clock = now()
    try {
      const sealed = readSealed(record, true)
      if (Math.abs(clock - envelope.timestamp) > maxSkew)
        throw new SealRefused(`the call's timestamp is more than ${maxSkew} ms from this function's clock (stale or replayed)`)
      forgetExpired(clock)
      if (envelope.idempotencyKey === undefined && seen.has(envelope.requestId))
        throw new SealRefused(`requestId ${envelope.requestId} was already opened by this instance (replayed)`)
      if (sealed.key.slice(0, 2) !== '04') throw new SealRefused('the wrapped key’s C1 is not an uncompressed point (04‖x‖y)')
      let secret: Uint8Array | number[] = []
      try {
        secret = sm2.doDecrypt(sealed.key.slice(2), privateKey, SM2_C1C3C2, { output: 'array' })
      } catch {
        secret = []
      }
      if (secret.length !== CALL_SECRET_BYTES)
        throw new SealRefused('the SM2-wrapped call key does not open with this private key (wrong key pair, or altered)')
      const keys = callKeysOf(Uint8Array.from(secret))
      const where = { module: envelope.module, method: envelope.method, requestId: envelope.requestId, timestamp: envelope.timestamp }
      const data = openData(sealed, keys, { direction: 'request', ...where, keyOrCode: sealed.key })
      seen.set(envelope.requestId, envelope.timestamp + 2 * maxSkew)
      return {
        data,
        seal(response: ModuleResponse): ModuleResponse {
          const sealedAnswer = sealData(response.data, keys, randomBytes(16), {
            direction: 'response',
            ...where,
            keyOrCode: String(response.code),
          })
          return { ...response, data: sealedAnswer }
        },
      }
    } catch (error) {
      if (!(error instanceof SealRefused)) throw error
      throw new PageModuleError({
        code: 'PROTECTION_FAILED',
        moduleCode: RESERVED_MODULE_CODES.PROTECTION_FAILED,
        message: `${error.message} — nothing ran; the caller must seal each call afresh with this module's SM2 public key`,
      })
    }
  }

  function forgetExpired(clock: number): void {
    for (const [requestId, until] of seen) if (until <= clock) seen.delete(requestId)
  }

  return { name: 'sm', open }
}
