/**
 * Parses one record of a `tcb/database*` reply: JSON, possibly MongoDB Extended JSON (canonical or relaxed), with
 * `$numberDouble/$numberInt/$numberLong/$numberDecimal` → number, `$date` → `Date`, `$oid` → its hex string.
 */
export function parseExtendedJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => decodeWrapper(value))
}

function decodeWrapper(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const keys = Object.keys(value)
  if (keys.length !== 1) return value
  const key = keys[0]!
  const inner = (value as Record<string, unknown>)[key]
  switch (key) {
    case '$numberDouble':
    case '$numberInt':
    case '$numberLong':
    case '$numberDecimal':
      return typeof inner === 'string' ? Number(inner) : value
    case '$oid':
      return typeof inner === 'string' ? inner : value
    case '$date': {
      // Bottom-up parsing has already turned a canonical `{ $numberLong }` into a number.
      if (typeof inner === 'number' || typeof inner === 'string') {
        const date = new Date(inner)
        return Number.isNaN(date.getTime()) ? value : date
      }
      return value
    }
    default:
      return value
  }
}
