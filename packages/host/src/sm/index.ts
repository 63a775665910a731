// `@page-module/host/sm`: 国密 SM2/SM3/SM4 protection of callMethod payloads (docs/protocol.md, "SM protection").
import { webcrypto } from 'node:crypto'
import type { CallProtection } from '@page-module/core'
import { webCryptoRandomSource } from './random-source'
import { createSmProtection, type SmProtectionOptions } from './sm-protection'

export { smHostProtection, type SmHostProtectionOptions } from './sm-host-protection'
export { generateSm2KeyPair } from './sm-keys'
export { SM_ALGORITHM, SM_SCHEME, type SealedRequest, type SealedAnswer } from './sm-wire'
export type { SmProtectionOptions } from './sm-protection'
export type { HostProtection, OpenedCall } from '../module/host-protection'

/** The client side, for a module function that calls another protected module (same as `page-module/sm`). */
export function smProtection(options: SmProtectionOptions): CallProtection {
  return createSmProtection(options, webCryptoRandomSource(webcrypto as unknown as Parameters<typeof webCryptoRandomSource>[0]))
}
