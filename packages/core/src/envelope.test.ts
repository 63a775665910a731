import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEnvelope, parseEnvelope, PROTOCOL } from './envelope'
import { isPageModuleError } from './page-module-error'

const valid = {
  protocol: PROTOCOL,
  module: 'tcb:SignUp',
  method: 'doSignIn',
  requestId: 'mhd2k1x4-8f3k0q9z2m1a',
  client: { name: '@page-module/mp', version: '0.1.0' },
  timestamp: 1_700_000_000_000,
  data: { day: '2026-11-21' },
}

describe('parseEnvelope', () => {
  it('round-trips what createEnvelope builds, through JSON', () => {
    const envelope = createEnvelope({ ...valid, idempotencyKey: 'k-1' })
    expect(parseEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope)
  })

  it.each([
    ['not an object', 'doSignIn', 'INVALID_REQUEST', -3],
    ['no protocol (a plain wx.cloud call)', { a: 1 }, 'INVALID_REQUEST', -3],
    ['another major version', { ...valid, protocol: 'page-module/2' }, 'UNSUPPORTED_PROTOCOL', -5],
    ['a bad module id', { ...valid, module: 'SignUp' }, 'INVALID_REQUEST', -3],
    ['an inherited method name', { ...valid, method: '__proto__' }, 'INVALID_REQUEST', -3],
    ['a missing client', { ...valid, client: undefined }, 'INVALID_REQUEST', -3],
    ['a string timestamp', { ...valid, timestamp: '1' }, 'INVALID_REQUEST', -3],
    ['an empty requestId', { ...valid, requestId: '' }, 'INVALID_REQUEST', -3],
    ['a bad idempotency key', { ...valid, idempotencyKey: 'has space' }, 'INVALID_REQUEST', -3],
    ['polluting data', { ...valid, data: JSON.parse('{"__proto__":{"x":1}}') }, 'INVALID_REQUEST', -3],
  ])('refuses %s', (_case, event, code, moduleCode) => {
    expect(() => parseEnvelope(event)).toThrowError(expect.objectContaining({ code, moduleCode }))
  })

  it('never throws anything but a PageModuleError, whatever the event', () => {
    const arbitraryEnvelope = fc.record(
      {
        protocol: fc.oneof(fc.constant(PROTOCOL), fc.string()),
        module: fc.oneof(fc.constant('tcb:SignUp'), fc.string()),
        method: fc.oneof(fc.constant('doSignIn'), fc.string(), fc.constant('toString')),
        requestId: fc.oneof(fc.string(), fc.integer()),
        idempotencyKey: fc.oneof(fc.string(), fc.constant(undefined)),
        client: fc.oneof(fc.constant(valid.client), fc.anything()),
        timestamp: fc.oneof(fc.double(), fc.string()),
        data: fc.anything({ withBigInt: true, withDate: true, withMap: true }),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(arbitraryEnvelope, fc.anything()), (event) => {
        try {
          parseEnvelope(event)
        } catch (error) {
          return isPageModuleError(error)
        }
        return true
      }),
      { numRuns: 2000 },
    )
  })
})
