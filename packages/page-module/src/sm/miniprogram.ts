// `require('page-module/sm')` in a mini-program: SM protection with the random source fed by wx.getRandomValues.
import { PageModuleError, type CallProtection } from '@page-module/core'
import { createSmProtection, wxRandomSource, type RandomSource, type SmProtectionOptions } from '@page-module/host/sm-client'

declare const wx: { getRandomValues?: Parameters<typeof wxRandomSource>[0]['getRandomValues'] } | undefined

let random: RandomSource | undefined

/** `new PageModule(id, { protection: smProtection({ publicKey }) })`: 国密 SM2/SM3/SM4 protection of each call. */
export function smProtection(options: SmProtectionOptions): CallProtection {
  if (random === undefined) {
    if (typeof wx === 'undefined' || typeof wx.getRandomValues !== 'function') {
      throw new PageModuleError({
        code: 'UNSUPPORTED_RUNTIME',
        message:
          'SM protection needs wx.getRandomValues (base library ≥ 2.15.0) — raise the minimum base library in the mini-program admin',
      })
    }
    const source = wx as { getRandomValues: Parameters<typeof wxRandomSource>[0]['getRandomValues'] }
    random = wxRandomSource({ getRandomValues: (request) => source.getRandomValues(request) })
    // Start filling now so the first call rarely waits.
    random.ready().catch(() => undefined)
  }
  return createSmProtection(options, random)
}

export { SM_ALGORITHM } from '@page-module/host/sm-client'
export type { SmProtectionOptions } from '@page-module/host/sm-client'
