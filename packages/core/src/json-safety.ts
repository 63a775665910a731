import type { PageModuleErrorCode } from './error-codes'
import { PageModuleError } from './page-module-error'

/** Default limit for the UTF-8 size of a call's JSON `data`: 1 MiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024
/** Hard ceiling for `maxPayloadBytes`: SCF refuses synchronous invocations over 6 MB. */
export const MAX_PAYLOAD_BYTES_LIMIT = 6 * 1024 * 1024
/** Deeper data is refused: it is almost always a mistake, and would overflow the stack when serialised. */
export const MAX_DATA_DEPTH = 64

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype']

export interface JsonSafetyContext {
  module?: string | undefined
  method?: string | undefined
  requestId?: string | undefined
  /** Error code for a refusal; the host uses `INVALID_REQUEST`. Defaults to the specific `DATA_*` code. */
  code?: PageModuleErrorCode | undefined
  /** Name of the root value in messages; default `data`. */
  root?: string | undefined
}

/**
 * Checks that `data` survives JSON unchanged: plain objects and arrays of strings, finite numbers, booleans
 * and null, no cycles, no prototype-polluting keys, at most `maxBytes` of UTF-8 JSON. `undefined` object
 * properties are dropped, as JSON does. Returns the JSON size in bytes. Throws `PageModuleError` `DATA_*`.
 */
export function assertJsonSafe(data: unknown, maxBytes: number, context: JsonSafetyContext = {}): number {
  return checkJsonSafe(data, maxBytes, context, true)
}

/**
 * `assertJsonSafe` for when the size itself is not needed: data whose JSON cannot reach `maxBytes` (by a bound
 * taken while checking it) is not serialised to be measured. Refuses exactly what `assertJsonSafe` refuses.
 */
export function assertJsonSafeWithin(data: unknown, maxBytes: number, context: JsonSafetyContext = {}): void {
  checkJsonSafe(data, maxBytes, context, false)
}

function checkJsonSafe(data: unknown, maxBytes: number, context: JsonSafetyContext, exact: boolean): number {
  if (data === undefined) return 0
  let text: string
  try {
    const bound = walk(data, { context, ancestors: [], keys: [] })
    if (!exact && bound <= maxBytes) return bound
    text = JSON.stringify(data)
  } catch (thrown) {
    if (PageModuleError.isInstance(thrown)) throw thrown
    // A getter or a Proxy trap that throws: the value cannot be read, so it cannot be sent.
    return refuse(
      context,
      'DATA_NOT_PLAIN',
      context.root ?? 'data',
      `cannot be read (${thrown instanceof Error ? thrown.message : String(thrown)}) — ` +
        'send plain data, not objects with getters or proxies',
    )
  }
  const bytes = utf8Length(text)
  if (bytes > maxBytes) {
    refuse(
      context,
      'DATA_TOO_LARGE',
      context.root ?? 'data',
      `is ${bytes} bytes of JSON, over the ${maxBytes}-byte limit — ` +
        'send less data per call, or upload large content to cloud storage and pass its fileID',
      { bytes, limit: maxBytes },
    )
  }
  return bytes
}

/**
 * The data exactly as it will be sent: serialised once, measured, and parsed back into plain values that serialise
 * to the same bytes again. A getter or Proxy that answers differently on each read, or a `toJSON` inherited from a
 * null-prototype parent, cannot make the bytes sent differ from the bytes checked. Refuses what `assertJsonSafe`
 * refuses, judged on those bytes.
 */
export function snapshotJson(data: unknown, maxBytes: number, context: JsonSafetyContext = {}): unknown {
  if (data === undefined) return undefined
  const root = context.root ?? 'data'
  let text: string | undefined
  try {
    text = JSON.stringify(data)
  } catch (thrown) {
    return refuse(
      context,
      'DATA_NOT_PLAIN',
      root,
      `cannot be read (${thrown instanceof Error ? thrown.message : String(thrown)}) — ` +
        'send plain data, not objects with getters or proxies',
    )
  }
  if (text === undefined)
    return refuse(context, 'DATA_NOT_PLAIN', root, 'turns into nothing in JSON (a toJSON or a proxy) — send plain data')
  const bytes = utf8Length(text)
  if (bytes > maxBytes) {
    refuse(
      context,
      'DATA_TOO_LARGE',
      root,
      `is ${bytes} bytes of JSON, over the ${maxBytes}-byte limit — ` +
        'send less data per call, or upload large content to cloud storage and pass its fileID',
      { bytes, limit: maxBytes },
    )
  }
  const snapshot: unknown = JSON.parse(text)
  walk(snapshot, { context, ancestors: [], keys: [] })
  return snapshot
}

// Upper bounds of UTF-8 JSON bytes: a UTF-16 unit is at most 6 (`\u001f`), a finite number at most 25 characters.
const MAX_BYTES_PER_UNIT = 6
const MAX_NUMBER_BYTES = 25

/** Where the walk is: the objects above the value (for cycles and depth) and the keys that lead to it. */
interface Walk {
  readonly context: JsonSafetyContext
  readonly ancestors: object[]
  readonly keys: Array<string | number>
}

/** Checks `value` and returns an upper bound of its JSON's UTF-8 size. */
function walk(value: unknown, state: Walk): number {
  switch (typeof value) {
    case 'string':
      return value.length * MAX_BYTES_PER_UNIT + 2
    case 'boolean':
      return 5
    case 'number':
      if (!isFinite(value)) refuseAt(state, 'DATA_NOT_FINITE', `is ${value}, which JSON turns into null — send a finite number, or null`)
      return MAX_NUMBER_BYTES
    case 'undefined':
      // Dropped from an object, `null` in an array.
      return 4
    case 'function':
      return refuseAt(state, 'DATA_FUNCTION', 'is a function, which JSON cannot carry — send plain data')
    case 'symbol':
      return refuseAt(state, 'DATA_SYMBOL', 'is a symbol, which JSON cannot carry — send a string instead')
    case 'bigint':
      return refuseAt(state, 'DATA_BIGINT', 'is a BigInt, which JSON cannot carry — send it as a string, e.g. value.toString()')
  }
  if (value === null) return 4
  const object = value as object
  const { ancestors, keys } = state
  if (ancestors.indexOf(object) >= 0) {
    return refuseAt(state, 'DATA_CYCLIC', 'refers back to one of its own parents (a cycle) — send a tree, not a graph')
  }
  if (ancestors.length >= MAX_DATA_DEPTH) {
    return refuseAt(state, 'DATA_TOO_DEEP', `is nested deeper than ${MAX_DATA_DEPTH} levels — flatten the data`)
  }
  ancestors.push(object)
  // Brackets, and a comma (or colon and comma) per item.
  let bound = 2
  if (Array.isArray(object)) {
    for (let index = 0; index < object.length; index++) {
      keys.push(index)
      if (!(index in object))
        refuseAt(state, 'DATA_NOT_PLAIN', 'is a hole of a sparse array, which JSON turns into null — fill it (e.g. with null)')
      bound += walk(object[index], state) + 1
      keys.pop()
    }
  } else {
    // A plain object's prototype is a root: Object.prototype of this or another realm (a vm, a webview), or null.
    const prototype = Object.getPrototypeOf(object)
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
      refuseAt(
        state,
        'DATA_NOT_PLAIN',
        `is a ${kindOf(object)}, not a plain object — convert it first (a Date with toISOString(), a Map with Object.fromEntries())`,
      )
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      refuseAt(state, 'DATA_SYMBOL', 'has symbol keys, which JSON drops — use string keys')
    }
    const record = object as Record<string, unknown>
    for (const key of Object.keys(record)) {
      keys.push(key)
      if (FORBIDDEN_KEYS.indexOf(key) >= 0) {
        refuseAt(state, 'DATA_FORBIDDEN_KEY', `uses the key '${key}', which can pollute prototypes on the receiving side — rename it`)
      }
      // Quotes, colon and comma around the key.
      bound += key.length * MAX_BYTES_PER_UNIT + 4 + walk(record[key], state)
      keys.pop()
    }
  }
  ancestors.pop()
  return bound
}

// The path is spelled only for a refusal: building it for every value would cost more than the check.
function refuseAt(state: Walk, code: PageModuleErrorCode, problem: string): never {
  let path = state.context.root ?? 'data'
  for (const key of state.keys) {
    path += typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
  }
  return refuse(state.context, code, path, problem)
}

function refuse(
  context: JsonSafetyContext,
  code: PageModuleErrorCode,
  path: string,
  problem: string,
  extra: Record<string, number> = {},
): never {
  throw new PageModuleError({
    code: context.code ?? code,
    module: context.module,
    method: context.method,
    requestId: context.requestId,
    message: `${path} ${problem}`,
    details: { path, reason: code, ...extra },
  })
}

function kindOf(object: object): string {
  const constructor = (object as { constructor?: { name?: unknown } }).constructor
  return constructor && typeof constructor.name === 'string' && constructor.name !== '' ? constructor.name : 'non-plain object'
}

/** UTF-8 byte length without TextEncoder or Buffer (neither exists in every mini-program engine). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        index++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}
