/** The emulator's file format: JSON where a `Date` is `{ "$date": "<ISO 8601>" }`, so dates survive a restart. */
export function stringifyStored(value: unknown, space?: number): string {
  return JSON.stringify(value, replaceDate, space)
}

export function parseStored(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value)
      const date = (value as { $date?: unknown }).$date
      if (keys.length === 1 && typeof date === 'string') return new Date(date)
    }
    return value
  })
}

function replaceDate(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify has already called Date#toJSON; the holder still has the Date.
  const original = this[key]
  return original instanceof Date ? { $date: original.toISOString() } : value
}
