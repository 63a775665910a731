import { PageModuleError } from '@page-module/core'
import type { Field, FieldMap, MediaUpload } from './field-spec'

/** The wire form of a call's parameters, split by where each travels. */
export interface WireParams {
  readonly body: Record<string, unknown>
  readonly query: Record<string, string>
  /** Multipart parts, by wire name. */
  readonly media: Record<string, MediaUpload>
}

/** Maps camelCase parameters to the wire by the API's field map; unknown keys and missing required ones are refused. */
export function toWire(map: FieldMap, params: Record<string, unknown>, api: string): WireParams {
  const wire: WireParams = { body: {}, query: {}, media: {} }
  checkKeys(map, params, api, '')
  for (const [camel, field] of Object.entries(map)) {
    const value = params[camel]
    if (value === undefined) continue
    if (field.kind === 'media') wire.media[field.wire] = mediaOf(value, `${api}: ${camel}`)
    else if (field.inQuery) wire.query[field.wire] = String(value)
    else wire.body[field.wire] = valueToWire(field, value, api, camel)
  }
  return wire
}

function valueToWire(field: Field<unknown, boolean>, value: unknown, api: string, at: string): unknown {
  if (field.kind === 'object') return objectToWire(field.fields ?? {}, value, api, at)
  if (field.kind === 'list') {
    if (!Array.isArray(value)) refuse(`${api}: ${at} must be an array`)
    return value.map((item, index) => objectToWire(field.fields ?? {}, item, api, `${at}[${index}]`))
  }
  return value
}

function objectToWire(map: FieldMap, value: unknown, api: string, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(`${api}: ${at} must be an object`)
  const record = value as Record<string, unknown>
  checkKeys(map, record, api, `${at}.`)
  const wire: Record<string, unknown> = {}
  for (const [camel, field] of Object.entries(map)) {
    if (record[camel] !== undefined) wire[field.wire] = valueToWire(field, record[camel], api, `${at}.${camel}`)
  }
  return wire
}

function checkKeys(map: FieldMap, record: Record<string, unknown>, api: string, prefix: string): void {
  for (const key of Object.keys(record)) {
    if (!(key in map)) refuse(`${api}: unknown parameter ${prefix}${key} — these are: ${Object.keys(map).join(', ') || 'none'}`)
  }
  for (const [camel, field] of Object.entries(map)) {
    if (!field.optional && record[camel] === undefined) refuse(`${api}: ${prefix}${camel} is required`)
  }
}

function mediaOf(value: unknown, at: string): MediaUpload {
  const media = value as Partial<MediaUpload> | null
  if (typeof media?.contentType !== 'string' || !(media.value instanceof Uint8Array))
    refuse(`${at} must be { contentType: string, value: Buffer | Uint8Array, fileName? }`)
  return media as MediaUpload
}

/** Maps a wire answer to camelCase by the field map; fields the map does not name are left out. */
export function fromWire(map: FieldMap, wire: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [camel, field] of Object.entries(map)) {
    const value = wire[field.wire]
    if (value === undefined || value === null) continue
    result[camel] = valueFromWire(field, value)
  }
  return result
}

function valueFromWire(field: Field<unknown, boolean>, value: unknown): unknown {
  switch (field.kind) {
    case 'id':
      return decimalOf(value)
    case 'object':
      return typeof value === 'object' ? fromWire(field.fields ?? {}, value as Record<string, unknown>) : value
    case 'list':
      return Array.isArray(value) ? value.map((item: unknown) => valueFromWire({ ...field, kind: 'object' }, item)) : value
    default:
      return plainNumbers(value)
  }
}

/** A big number as wx-server-sdk's JSON parser makes them (bignumber.js), or a number or string: its exact decimal text. */
function decimalOf(value: unknown): string {
  if (typeof value === 'object' && value !== null && typeof (value as { toFixed?: unknown }).toFixed === 'function')
    return (value as { toFixed(): string }).toFixed()
  return String(value)
}

/** Replaces bignumber.js values (wx-server-sdk's parser) with numbers when exact, decimal strings otherwise. */
function plainNumbers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if ((value as { _isBigNumber?: unknown })._isBigNumber === true) {
    const decimal = decimalOf(value)
    return Number.isSafeInteger(Number(decimal)) || !/^-?\d+$/.test(decimal) ? Number(decimal) : decimal
  }
  if (Array.isArray(value)) return value.map(plainNumbers)
  if (Buffer.isBuffer(value)) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainNumbers(item)]))
}

function refuse(message: string): never {
  throw new PageModuleError({ code: 'INVALID_OPTIONS', message, requestSent: false })
}
