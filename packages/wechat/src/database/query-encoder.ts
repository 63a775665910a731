import { PageModuleError } from '@page-module/core'
import {
  AGGREGATE_OPERATORS,
  DatabaseCommand,
  DatabaseRegExp,
  GeoPoint,
  QUERY_OPERATORS,
  ServerDate,
  UPDATE_OPERATORS,
} from './database-values'

const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,128}$/
const REGEXP_FLAGS = /^[ims]*$/
const MAX_DEPTH = 64
const ALLOWED_OPERATORS = {
  query: new Set<string>(QUERY_OPERATORS),
  update: new Set<string>(UPDATE_OPERATORS),
  aggregate: new Set<string>(AGGREGATE_OPERATORS),
}

/** The one way a value enters a query statement: typed, as a JavaScript literal, never as spliced text. */
export function encodeValue(value: unknown, where = 'value'): string {
  return encode(value, where, 0)
}

/** A collection name as a string literal, after checking it is one CloudBase accepts. */
export function encodeCollectionName(name: unknown): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw invalid(`the collection name ${describe(name)} is not valid — use 1 to 128 letters, digits, "_" or "-".`)
  }
  return encodeString(name)
}

/** A string literal: `JSON.stringify`, with U+2028 and U+2029 escaped for engines that predate ES2019. */
export function encodeString(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function encode(value: unknown, where: string, depth: number): string {
  if (depth > MAX_DEPTH) throw invalid(`${where} is nested more than ${MAX_DEPTH} levels deep (or refers to itself).`)
  switch (typeof value) {
    case 'string':
      return encodeString(value)
    case 'number':
      if (!Number.isFinite(value)) throw invalid(`${where} is ${String(value)} — the database stores finite numbers only.`)
      return Object.is(value, -0) ? '0' : String(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      break
    default:
      throw invalid(`${where} is a ${typeof value} — use a string, number, boolean, null, Date, array or plain object.`)
  }
  if (value === null) return 'null'
  if (value instanceof Date) {
    const time = value.getTime()
    if (!Number.isFinite(time)) throw invalid(`${where} is an invalid Date.`)
    return `new Date(${time})`
  }
  if (value instanceof RegExp) return encodeRegExp(new DatabaseRegExp(value.source, value.flags), where)
  if (value instanceof DatabaseRegExp) return encodeRegExp(value, where)
  if (value instanceof GeoPoint)
    return `new db.Geo.Point(${encodeCoordinate(value.longitude, 180, where)},${encodeCoordinate(value.latitude, 90, where)})`
  if (value instanceof ServerDate) {
    return value.offset === 0 ? 'db.serverDate()' : `db.serverDate({offset:${encode(value.offset, `${where}.offset`, depth + 1)}})`
  }
  if (value instanceof DatabaseCommand) return encodeCommand(value, where, depth)
  if (Array.isArray(value)) return `[${value.map((item, index) => encode(item, `${where}[${index}]`, depth + 1)).join(',')}]`
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) {
    throw invalid(`${where} is a ${(value as object).constructor?.name ?? 'non-plain object'} — use a plain object.`)
  }
  const fields: string[] = []
  for (const [key, item] of Object.entries(value)) {
    assertKey(key, where)
    if (item === undefined) continue
    fields.push(`${encodeString(key)}:${encode(item, `${where}.${key}`, depth + 1)}`)
  }
  return `{${fields.join(',')}}`
}

function assertKey(key: string, where: string): void {
  if (key.startsWith('$')) {
    throw invalid(`${where} has the key ${encodeString(key)} — keys starting with "$" would act as operators; use db.command instead.`)
  }
  if (key === '__proto__' || key === '') throw invalid(`${where} has the key ${encodeString(key)}, which the database refuses.`)
}

function encodeCommand(command: DatabaseCommand, where: string, depth: number): string {
  if (!ALLOWED_OPERATORS[command.kind]?.has(command.operator)) {
    throw invalid(`${where} uses the ${command.kind} command ${encodeString(command.operator)}, which is not one of db.command's.`)
  }
  const operands = command.operands.map((operand, index) => encode(operand, `${where}(${command.operator} #${index + 1})`, depth + 1))
  const prefix = command.kind === 'aggregate' ? '_.aggregate.' : '_.'
  return `${prefix}${command.operator}(${operands.join(',')})`
}

function encodeRegExp(value: DatabaseRegExp, where: string): string {
  if (typeof value.regexp !== 'string') throw invalid(`${where}: db.RegExp needs a string regexp.`)
  if (typeof value.options !== 'string' || !REGEXP_FLAGS.test(value.options)) {
    throw invalid(`${where}: the regular expression flags ${describe(value.options)} are not supported — use i, m and s only.`)
  }
  return `db.RegExp({regexp:${encodeString(value.regexp)},options:${encodeString(value.options)}})`
}

function encodeCoordinate(value: number, bound: number, where: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > bound) {
    throw invalid(`${where}: a Geo.Point coordinate must be a number within ±${bound}, got ${describe(value)}.`)
  }
  return String(value)
}

function describe(value: unknown): string {
  return typeof value === 'string' ? encodeString(value.slice(0, 64)) : String(value)
}

export function invalid(message: string): PageModuleError {
  return new PageModuleError({ code: 'INVALID_OPTIONS', message, requestSent: false })
}
