import { PageModuleError } from './page-module-error'

/** A parsed module id such as `tcb:SignUp`. */
export interface ModuleId {
  /** The whole id, `provider:Name`. */
  readonly id: string
  /** Who publishes the module: lower-case letters and digits, e.g. `tcb`. */
  readonly provider: string
  /** The module's name: a letter, then letters, digits or `_`, e.g. `SignUp`. */
  readonly name: string
}

const PROVIDER = /^[a-z][a-z0-9]{0,15}$/
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,42}$/
/** CloudBase's rule for function names: a letter first, then letters, digits, `-` or `_`, 60 at most. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

const ID_RULE =
  '`<provider>:<Name>`: provider is 1–16 lower-case letters or digits starting with a letter, ' +
  'Name is 1–43 letters, digits or `_` starting with a letter (e.g. `tcb:SignUp`)'

/** Parses and validates a module id; throws `INVALID_MODULE_ID` with the rule when it does not fit. */
export function parseModuleId(id: unknown): ModuleId {
  if (typeof id !== 'string') {
    throw new PageModuleError({
      code: 'INVALID_MODULE_ID',
      message: `the module id must be a string, got ${typeof id} — pass an id of the form ${ID_RULE}`,
    })
  }
  const separator = id.indexOf(':')
  const provider = separator < 0 ? '' : id.slice(0, separator)
  const name = separator < 0 ? '' : id.slice(separator + 1)
  if (!PROVIDER.test(provider) || !NAME.test(name)) {
    throw new PageModuleError({ code: 'INVALID_MODULE_ID', message: `${JSON.stringify(id)} is not a module id — use ${ID_RULE}` })
  }
  return { id, provider, name }
}

/**
 * The cloud function that serves a module: `<provider>-<Name>`, e.g. `tcb:SignUp` → `tcb-SignUp`.
 * Always a valid CloudBase function name (at most 16 + 1 + 43 = 60 characters).
 */
export function functionNameOf(moduleId: ModuleId): string {
  return `${moduleId.provider}-${moduleId.name}`
}

/** Validates a `functionName` override against CloudBase's naming rule. */
export function assertFunctionName(functionName: unknown): string {
  if (typeof functionName !== 'string' || !FUNCTION_NAME.test(functionName)) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message:
        `functionName ${JSON.stringify(functionName)} is not a CloudBase function name — ` +
        "use 1–60 letters, digits, '-' or '_', starting with a letter",
    })
  }
  return functionName
}
