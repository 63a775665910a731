import type { CallEnvelope, ModuleResponse } from '@page-module/core'

/** A protected call's data, opened, and how to seal the answer to it. */
export interface OpenedCall {
  readonly data: unknown
  seal(response: ModuleResponse): ModuleResponse
}

/**
 * What `defineModule({ protection })` uses to open each call's data before the method runs, e.g.
 * `smHostProtection({ privateKey })` from `@page-module/host/sm`. `open` throws a `PageModuleError` whose
 * `moduleCode` (-8 `PROTECTION_REQUIRED`, -9 `PROTECTION_FAILED`) is answered as it is; nothing runs then.
 */
export interface HostProtection {
  readonly name: string
  open(envelope: CallEnvelope): OpenedCall
}
