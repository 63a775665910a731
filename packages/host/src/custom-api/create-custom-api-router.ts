import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import {
  CUSTOM_API_CODES,
  forbiddenCallerMessage,
  implementationFailedMessage,
  isCallFromCloudFunction,
  isCustomApiEvent,
  isCustomApiName,
  isCustomApiResult,
  notImplementedMessage,
  publicMessageOf,
  type CustomApiResult,
} from './custom-api-contract'

export interface CustomApiRouterOptions {
  /** The function folder: the one holding `api/` (pass `__dirname`). */
  readonly dir: string
  /** Where `TCB_SOURCE` is read at each call. Default `process.env` (what the function runtime sets). */
  readonly environment?: Readonly<Record<string, string | undefined>>
  /** Where an interface's failure is logged whole, with its stack (the caller gets only its message). Default `console.error`. */
  readonly log?: (line: string) => void
}

/** What an `api/<name>.js` receives besides the data. */
export interface CustomApiContext {
  readonly module: string
  readonly name: string
  readonly requestId: string
}

export type CustomApiImplementation = (data: unknown, context: CustomApiContext) => CustomApiResult | Promise<CustomApiResult>

/**
 * The `main` of the business's custom-interface function: routes `{ pageModuleCustomApi: 1, name, data }`
 * to `api/<name>.js`. A missing file answers -1, a throw or a reply that is not `{ code: number, msg?: string }`
 * answers -2, a name that is not a plain identifier answers -3, and a call that did not come from another cloud
 * function (a mini-program calling this function directly) answers -7 and runs nothing.
 */
export function createCustomApiRouter({
  dir,
  environment = process.env,
  log = (line) => console.error(line),
}: CustomApiRouterOptions): (event: unknown, context?: unknown) => Promise<CustomApiResult> {
  const apiDir = path.resolve(dir, 'api')
  const requireFromApi = createRequire(path.join(apiDir, 'index.js'))

  return async function main(event) {
    const source = environment.TCB_SOURCE
    if (!isCallFromCloudFunction(source)) return { code: CUSTOM_API_CODES.FORBIDDEN_CALLER, msg: forbiddenCallerMessage(source ?? '') }
    if (!isCustomApiEvent(event)) {
      return {
        code: CUSTOM_API_CODES.INVALID_REQUEST,
        msg: 'not a custom-interface call: a page module sends { pageModuleCustomApi: 1, module, name, data, requestId }',
      }
    }
    const { name } = event
    if (!isCustomApiName(name)) {
      return {
        code: CUSTOM_API_CODES.INVALID_REQUEST,
        msg: `${JSON.stringify(name)} is not a custom-interface name — use a plain identifier such as sendPrize`,
      }
    }
    const file = path.join(apiDir, `${name}.js`)
    if (!existsSync(file)) return { code: CUSTOM_API_CODES.NOT_IMPLEMENTED, msg: notImplementedMessage(name) }
    try {
      const implementation: unknown = requireFromApi(file)
      if (typeof implementation !== 'function') {
        return failed(`api/${name}.js must export a function: module.exports = async (data) => ({ code: 0, msg: 'suc' })`)
      }
      const result: unknown = await (implementation as CustomApiImplementation)(event.data, {
        module: event.module,
        name,
        requestId: event.requestId,
      })
      if (!isCustomApiResult(result)) return failed(`api/${name}.js answered ${describe(result)} — answer { code: number, msg?: string }`)
      return result
    } catch (error) {
      log(`[custom-api ${name}] ${event.requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      return failed(publicMessageOf(error))
    }
  }
}

function failed(reason: string): CustomApiResult {
  return { code: CUSTOM_API_CODES.IMPLEMENTATION_FAILED, msg: implementationFailedMessage(reason) }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? typeof value
  return Array.isArray(value) ? 'an array' : `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`
}
