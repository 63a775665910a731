/**
 * `value` as a same-origin relative path (`/page?x#y`), or undefined when it could lead elsewhere: it must start with
 * one `/`, and neither it nor any percent-decoding of it may start with `//` or `/\`, carry a scheme, a backslash or a
 * control character. Checking every decoding stops `/%2F%2Fevil.example` and `%2F%5Cevil.example`.
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined
  let current = value
  for (let round = 0; round < 5; round += 1) {
    if (!isPlainPath(current)) return undefined
    let decoded: string
    try {
      decoded = decodeURIComponent(current)
    } catch {
      return undefined
    }
    if (decoded === current) break
    if (round === 4) return undefined
    current = decoded
  }
  const base = new URL('http://same-origin.invalid/')
  const resolved = new URL(value, base)
  if (resolved.origin !== base.origin) return undefined
  return `${resolved.pathname}${resolved.search}${resolved.hash}`
}

function isPlainPath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//')) return false
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return false
  return !/^\/*[A-Za-z][A-Za-z0-9+.-]*:/.test(path)
}
