import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEnvelope, parseEnvelope, PROTOCOL, type CallEnvelope } from './envelope'
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
        let envelope: CallEnvelope
        try {
          envelope = parseEnvelope(event)
        } catch (error) {
          return isRefusal(error)
        }
        // What it accepts is plain JSON that it accepts again unchanged after the trip over the wire.
        const overTheWire: unknown = JSON.parse(JSON.stringify(envelope))
        expect(parseEnvelope(overTheWire)).toEqual(overTheWire)
        return true
      }),
      { numRuns: 3000 },
    )
  })

  it('refuses objects that cannot be read (throwing getters, trapping or revoked Proxies) with INVALID_REQUEST', () => {
    // Generated as factories: fast-check itself cannot inspect a revoked Proxy.
    fc.assert(
      fc.property(hostileEnvelope, (makeEvent) => {
        try {
          parseEnvelope(makeEvent())
        } catch (error) {
          return isRefusal(error)
        }
        return false
      }),
      { numRuns: 300 },
    )
  })
})

/** Only the two refusals a host can answer with; never a TypeError or a trap's own error. */
function isRefusal(error: unknown): boolean {
  return (
    isPageModuleError(error) &&
    ((error.code === 'INVALID_REQUEST' && error.moduleCode === -3) || (error.code === 'UNSUPPORTED_PROTOCOL' && error.moduleCode === -5))
  )
}

const throwing = (message: string) => () => {
  throw new Error(message)
}

/** Objects JSON never makes but a caller might hand over: throwing getters, Proxies whose traps throw, revoked Proxies. */
const hostileValue = fc.constantFrom<() => unknown>(
  () => Object.defineProperty({}, 'day', { enumerable: true, get: throwing('getter') }),
  () => new Proxy({}, { get: throwing('get trap'), ownKeys: throwing('ownKeys trap'), getPrototypeOf: throwing('getPrototypeOf trap') }),
  () => new Proxy([], { get: throwing('array get trap') }),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    return proxy
  },
)
const hostileEnvelope = fc.oneof(
  hostileValue.map((make) => () => ({ ...valid, data: make() })),
  hostileValue.map((make) => () => ({ ...valid, data: { nested: [1, { deeper: make() }] } })),
  hostileValue,
  fc
    .constantFrom('protocol', 'module', 'method', 'requestId', 'client', 'timestamp', 'idempotencyKey')
    .map((field) => () => Object.defineProperty({ ...valid }, field, { enumerable: true, get: throwing(`${field} getter`) })),
)
