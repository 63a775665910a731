import { describe, expect, it } from 'vitest'
import { parseExtendedJson } from './extended-json'

describe('parseExtendedJson', () => {
  it('decodes the aggregate example of the HTTP API doc (canonical $numberDouble)', () => {
    // From the databaseAggregate doc page's example reply.
    const text = '{"_id":"a","location":{"type":"Point","coordinates":[{"$numberDouble":"113.0"},{"$numberDouble":"23.0"}]}}'
    expect(parseExtendedJson(text)).toEqual({ _id: 'a', location: { type: 'Point', coordinates: [113, 23] } })
  })

  it('decodes dates, longs, ints and object ids, canonical and relaxed', () => {
    const decoded = parseExtendedJson(
      '{"a":{"$date":{"$numberLong":"1700000000000"}},"b":{"$date":"2023-11-14T22:13:20.000Z"},"c":{"$numberLong":"42"},' +
        '"d":{"$numberInt":"-7"},"e":{"$oid":"5f1b2c3d4e5f6a7b8c9d0e1f"},"f":{"$numberDouble":"NaN"},"g":{"$date":1700000000000}}',
    ) as Record<string, unknown>
    expect(decoded.a).toEqual(new Date(1_700_000_000_000))
    expect(decoded.b).toEqual(new Date(1_700_000_000_000))
    expect(decoded.g).toEqual(new Date(1_700_000_000_000))
    expect(decoded).toMatchObject({ c: 42, d: -7, e: '5f1b2c3d4e5f6a7b8c9d0e1f' })
    expect(decoded.f).toBeNaN()
  })

  it('leaves ordinary objects with $-looking keys among others alone', () => {
    expect(parseExtendedJson('{"x":{"$date":"not a date"},"y":{"$oid":"1","z":2}}')).toEqual({
      x: { $date: 'not a date' },
      y: { $oid: '1', z: 2 },
    })
  })
})
