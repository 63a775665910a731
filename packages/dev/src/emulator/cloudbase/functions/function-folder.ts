import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/** CloudBase's rule for function names; it also keeps a name from reaching outside the functions folder. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

/** What the emulator uses of a function folder's `config.json`. */
export interface FunctionConfig {
  /** Seconds an invocation may run. */
  readonly timeout: number
  /** Extra environment variables (`envVariables` in config.json). */
  readonly environment: Readonly<Record<string, string>>
}

export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3
const MAX_FUNCTION_TIMEOUT_SECONDS = 900

/** The folder of function `name` under `functionsDir` when it has an `index.js`, else undefined. */
export function findFunctionFolder(functionsDir: string, name: string): string | undefined {
  if (!FUNCTION_NAME.test(name)) return undefined
  const folder = path.join(functionsDir, name)
  return existsSync(path.join(folder, 'index.js')) ? folder : undefined
}

/** Reads `config.json` (`timeout` in seconds, default 3; `envVariables`); a missing or broken file gives the defaults. */
export function readFunctionConfig(folder: string): FunctionConfig {
  let raw: Record<string, unknown> = {}
  try {
    raw = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as Record<string, unknown>
  } catch {
    raw = {}
  }
  const timeout =
    typeof raw.timeout === 'number' && raw.timeout > 0
      ? Math.min(raw.timeout, MAX_FUNCTION_TIMEOUT_SECONDS)
      : DEFAULT_FUNCTION_TIMEOUT_SECONDS
  const environment: Record<string, string> = {}
  if (typeof raw.envVariables === 'object' && raw.envVariables !== null) {
    for (const [key, value] of Object.entries(raw.envVariables)) if (typeof value === 'string') environment[key] = value
  }
  return { timeout, environment }
}

/** A folder directly under the functions folder, and whether it can run (has `index.js`). */
export interface FunctionFolderEntry {
  readonly name: string
  readonly hasIndex: boolean
}

/** The function folders of `functionsDir` by name (hidden folders and `node_modules` left out). */
export function listFunctionFolders(functionsDir: string): FunctionFolderEntry[] {
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => ({ name: entry.name, hasIndex: existsSync(path.join(functionsDir, entry.name, 'index.js')) }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Why a call to `name` finds nothing to run, when a folder of that name exists without `index.js`. */
export function missingIndexNote(functionsDir: string, name: string): string | undefined {
  if (!FUNCTION_NAME.test(name)) return undefined
  const folder = path.join(functionsDir, name)
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory() || existsSync(path.join(folder, 'index.js'))) return undefined
  return `the folder ${name}/ has no index.js — add one exporting main`
}
