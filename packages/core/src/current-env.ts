// `@page-module/core/current-env`: for the server-side packages (Node adapter, WeChat toolkit), kept out of core's main
// entry so the mini-program bundle does not carry it.
import { PageModuleError } from './page-module-error'

/**
 * "The current environment": wx-server-sdk's `cloud.DYNAMIC_CURRENT_ENV` and @cloudbase/node-sdk's `SYMBOL_CURRENT_ENV`,
 * both the registered symbol `Symbol.for('SYMBOL_CURRENT_ENV')`, so either SDK's value is this one.
 */
export const CURRENT_ENV: unique symbol = Symbol.for('SYMBOL_CURRENT_ENV') as never

/** The variables a cloud function names its own environment by. */
export interface CurrentEnvVariables {
  readonly TCB_ENV?: string | undefined
  readonly SCF_NAMESPACE?: string | undefined
}

/**
 * The env id an `env` option stands for: a string as given (the caller checks its shape), `CURRENT_ENV` as the cloud
 * function's own env (`TCB_ENV`, then `SCF_NAMESPACE`, as the official SDKs read it), undefined as undefined.
 * `CURRENT_ENV` where no function's env is set, and any other symbol, are refused with `INVALID_OPTIONS`.
 */
export function envOfOption(env: unknown, variables: CurrentEnvVariables): unknown {
  if (typeof env !== 'symbol') return env
  if (env !== CURRENT_ENV) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: `env must be an env id such as 'my-env-1a2b', or cloud.DYNAMIC_CURRENT_ENV — got ${String(env)}`,
    })
  }
  const current = variables.TCB_ENV || variables.SCF_NAMESPACE
  if (current) return current
  throw new PageModuleError({
    code: 'INVALID_OPTIONS',
    message:
      'env is cloud.DYNAMIC_CURRENT_ENV (SYMBOL_CURRENT_ENV), the env of the cloud function this code runs in, ' +
      'but there is no current environment here (neither TCB_ENV nor SCF_NAMESPACE is set) — ' +
      "outside a cloud function pass the env id, e.g. env: 'my-env-1a2b'",
  })
}
