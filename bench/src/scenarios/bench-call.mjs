// The one call every scenario makes: method `echo` of the module `bench:Echo` (function `bench-Echo`), with the
// same small data. The reply server ignores it; the emulator's echo module answers it.
export const MODULE_ID = 'bench:Echo'
export const FUNCTION_NAME = 'bench-Echo'
export const METHOD = 'echo'
export const DATA = { day: '2026-11-21', userId: 'u1' }

/** The envelope PageModule would send, for the clients that build it themselves. */
export function envelopeFor(requestId, timestamp) {
  return {
    protocol: 'page-module/1',
    module: MODULE_ID,
    method: METHOD,
    requestId,
    client: { name: 'bench', version: '0' },
    timestamp,
    data: DATA,
  }
}
