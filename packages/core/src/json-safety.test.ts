import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assertJsonSafe, assertJsonSafeWithin, MAX_DATA_DEPTH, utf8Length } from './json-safety'
import { isPageModuleError } from './page-module-error'

const LIMIT = 1024 * 1024

function codeOf(data: unknown, limit = LIMIT): string | undefined {
  try {
    assertJsonSafe(data, limit)
    return undefined
  } catch (error) {
    if (!isPageModuleError(error)) throw error
    return error.code
  }
}

class Point {
  constructor(readonly x: number) {}
}

describe('assertJsonSafe', () => {
  it('accepts plain JSON data, nested, with shared (non-cyclic) references', () => {
    const shared = { a: 1 }
    expect(codeOf({ list: [shared, shared], text: '签到', flag: true, none: null, skipped: undefined })).toBeUndefined()
    expect(codeOf(Object.create(null))).toBeUndefined()
    expect(codeOf(undefined)).toBeUndefined()
  })

  it('accepts plain objects and arrays made in another realm', () => {
    expect(codeOf(runInNewContext('({ day: "2026-11-21", list: [{ a: 1 }] })'))).toBeUndefined()
    expect(codeOf(runInNewContext('({ at: new Date(0) })'))).toBe('DATA_NOT_PLAIN')
  })

  const cyclic: Record<string, unknown> = { name: 'loop' }
  cyclic.self = { parent: cyclic }
  const symbolKeyed = { [Symbol('k')]: 1 }

  it.each([
    ['a cycle', cyclic, 'DATA_CYCLIC'],
    ['a function', { onDone: () => undefined }, 'DATA_FUNCTION'],
    ['a symbol value', { kind: Symbol('x') }, 'DATA_SYMBOL'],
    ['a symbol key', symbolKeyed, 'DATA_SYMBOL'],
    ['a BigInt', { id: 10n }, 'DATA_BIGINT'],
    ['NaN', { score: Number.NaN }, 'DATA_NOT_FINITE'],
    ['Infinity', [Number.POSITIVE_INFINITY], 'DATA_NOT_FINITE'],
    ['a Date', { at: new Date(0) }, 'DATA_NOT_PLAIN'],
    ['a Map', new Map(), 'DATA_NOT_PLAIN'],
    ['a class instance', { point: new Point(1) }, 'DATA_NOT_PLAIN'],
    ['a typed array', { bytes: new Uint8Array(2) }, 'DATA_NOT_PLAIN'],
    ['a __proto__ key', JSON.parse('{"a":{"__proto__":{"admin":true}}}'), 'DATA_FORBIDDEN_KEY'],
    ['a constructor key', { constructor: { prototype: 1 } }, 'DATA_FORBIDDEN_KEY'],
    ['a prototype key', { prototype: 1 }, 'DATA_FORBIDDEN_KEY'],
  ])('refuses %s with its own code', (_case, data, code) => {
    expect(codeOf(data)).toBe(code)
  })

  it('refuses data nested deeper than the limit, and accepts it at the limit', () => {
    const nest = (depth: number) => {
      let value: unknown = 1
      for (let level = 0; level < depth; level++) value = [value]
      return value
    }
    expect(codeOf(nest(MAX_DATA_DEPTH))).toBeUndefined()
    expect(codeOf(nest(MAX_DATA_DEPTH + 1))).toBe('DATA_TOO_DEEP')
  })

  it('measures UTF-8 bytes of the JSON against the limit, inclusive', () => {
    const data = { text: '签到'.repeat(10) } // JSON: {"text":"…"} = 11 bytes + 60 bytes
    expect(assertJsonSafe(data, 71)).toBe(71)
    expect(codeOf(data, 70)).toBe('DATA_TOO_LARGE')
  })

  it('names the path and says what to do', () => {
    expect(() =>
      assertJsonSafe({ items: [{ at: new Date(0) }] }, LIMIT, { module: 'tcb:SignUp', method: 'doSignIn', requestId: 'r1' }),
    ).toThrowError(
      '[tcb:SignUp.doSignIn] r1: data.items[0].at is a Date, not a plain object — ' +
        'convert it first (a Date with toISOString(), a Map with Object.fromEntries())',
    )
  })

  it('never throws anything but a PageModuleError, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withNullPrototype: true,
          withSparseArray: true,
        }),
        (value) => {
          try {
            assertJsonSafe(value, LIMIT)
          } catch (error) {
            return isPageModuleError(error)
          }
          return true
        },
      ),
    )
  })
})

describe('assertJsonSafeWithin', () => {
  function outcomeOf(check: () => unknown): string | undefined {
    try {
      check()
      return undefined
    } catch (error) {
      if (!isPageModuleError(error)) throw error
      return `${error.code} ${error.message}`
    }
  }

  it('refuses exactly what assertJsonSafe refuses, at any limit, for any value', () => {
    const value = fc.anything({ withBigInt: true, withDate: true, withNullPrototype: true, withSparseArray: true, withUnicodeString: true })
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 4096 }), (data, limit) => {
        expect(outcomeOf(() => assertJsonSafeWithin(data, limit))).toBe(outcomeOf(() => assertJsonSafe(data, limit)))
      }),
      { numRuns: 500 },
    )
  })

  it('measures escapes and non-ASCII text near the limit as assertJsonSafe does', () => {
    const data = { text: '\u0001"\\签😀\ud800'.repeat(20), list: [-1.2345678901234567e-300, undefined, null, true] }
    const bytes = assertJsonSafe(data, LIMIT)
    expect(outcomeOf(() => assertJsonSafeWithin(data, bytes))).toBeUndefined()
    expect(outcomeOf(() => assertJsonSafeWithin(data, bytes - 1))).toMatch(/^DATA_TOO_LARGE/)
  })
})

describe('utf8Length', () => {
  it('equals Buffer.byteLength for any well-formed string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => utf8Length(text) === Buffer.byteLength(text, 'utf8')))
  })

  it('counts a lone surrogate as 3 bytes, as an encoder would (U+FFFD)', () => {
    expect(utf8Length('\ud800')).toBe(Buffer.byteLength('\ud800', 'utf8'))
  })
})

describe('assertJsonSafe with values that cannot be read', () => {
  it.each([
    [
      'a throwing getter',
      () =>
        Object.defineProperty({}, 'day', {
          enumerable: true,
          get: () => {
            throw new Error('getter')
          },
        }),
    ],
    [
      'a Proxy whose traps throw',
      () =>
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap')
            },
          },
        ),
    ],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {})
        revoke()
        return proxy
      },
    ],
  ])('refuses %s with DATA_NOT_PLAIN instead of letting its error through', (_case, make) => {
    expect(() => assertJsonSafe({ items: [make()] }, 1024)).toThrowError(expect.objectContaining({ code: 'DATA_NOT_PLAIN' }))
  })
})
