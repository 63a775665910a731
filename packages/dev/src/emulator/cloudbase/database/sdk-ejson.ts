import { BSONRegExp, EJSON } from 'bson'
import { DatabaseFault } from '../../database/database-fault'

/**
 * Reads one of the EJSON strings `@cloudbase/database` sends (`query`, `data`, `order`, a stage's value) into plain
 * values for the engine: numbers, `Date`, `RegExp`, and `{ $tcb_server_date: { offset } }` as the server's clock.
 */
export function parseSdkEjson(text: unknown, now: () => number, field: string): unknown {
  if (typeof text !== 'string') throw new DatabaseFault('INVALID', `${field} must be an EJSON string`)
  let parsed: unknown
  try {
    parsed = EJSON.parse(text, { relaxed: true })
  } catch (error) {
    throw new DatabaseFault('INVALID', `${field} is not valid EJSON: ${(error as Error).message}`)
  }
  return plain(parsed, now)
}

/** A record as the SDKs read it back: canonical EJSON text. */
export function stringifySdkEjson(record: unknown): string {
  return EJSON.stringify(record, { relaxed: false })
}

function plain(value: unknown, now: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => plain(item, now))
  if (value instanceof BSONRegExp) return toRegExp(value.pattern, value.options)
  if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof RegExp) return value
  const bsonType = (value as { _bsontype?: unknown })._bsontype
  if (bsonType === 'ObjectId') return String(value)
  if (bsonType !== undefined) return Number(value)
  const entries = Object.entries(value)
  if (entries.length === 1 && entries[0]![0] === '$tcb_server_date') {
    const offset = (entries[0]![1] as { offset?: unknown } | null)?.offset ?? 0
    return new Date(now() + (typeof offset === 'number' ? offset : 0))
  }
  if (entries.length >= 1 && entries.some(([key]) => key === '$regex')) {
    const { $regex: pattern, $options: options = '' } = value as { $regex?: unknown; $options?: unknown }
    if (typeof pattern === 'string' && typeof options === 'string' && entries.length <= 2) return toRegExp(pattern, options)
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, plain(inner, now)]))
}

function toRegExp(pattern: string, options: string): RegExp {
  try {
    return new RegExp(pattern, options.replace(/[^imsu]/g, ''))
  } catch {
    throw new DatabaseFault('INVALID', `the regular expression ${JSON.stringify(pattern)} is not valid`)
  }
}
