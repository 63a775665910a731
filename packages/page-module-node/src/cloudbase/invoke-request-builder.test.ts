import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { verifyWithOfficialSigner } from '../../test/official-signer'
import type { CloudBaseCredentials } from './credentials'
import { createInvokeRequestBuilder, type PreparedInvokeRequest } from './invoke-request-builder'
import { buildInvokeRequest, type InvokeRequestInput } from './invoke-request'

const keyPair = { kind: 'signature', secretId: 'AKIDbuilderTest', secretKey: 'builder-secret-key' } as const

function inputOf(overrides: Partial<InvokeRequestInput> = {}): InvokeRequestInput {
  return {
    functionName: 'bench-Echo',
    requestData: JSON.stringify({ protocol: 'page-module/1', data: { text: 'héllo 云' } }),
    env: 'test-env-1a2b',
    credentials: keyPair,
    context: {},
    runtimeTag: 'unknown',
    region: '',
    runtimeRegion: '',
    internal: false,
    serviceUrl: 'http://127.0.0.1:40123/admin',
    seqId: '19ad0c3e1f0_1',
    now: 1795287643275,
    sdkVersion: 'page-module-node/0.1.0',
    headers: {},
    ...overrides,
  }
}

/** What buildInvokeRequest sends: its URL, header object as the flat list http.request gets, and body. */
function general(input: InvokeRequestInput): PreparedInvokeRequest {
  const { url, headers, body } = buildInvokeRequest(input)
  return { url, headerList: [...Object.entries(headers).flat(), 'content-length', String(Buffer.byteLength(body))], body }
}

const text = fc.string({ unit: 'binary', maxLength: 12 })
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })
const credentials: fc.Arbitrary<CloudBaseCredentials> = fc.oneof(
  fc.constant<CloudBaseCredentials>(keyPair),
  fc.record({
    kind: fc.constant('signature' as const),
    secretId: fc.constantFrom('AKIDa', 'AKIDb'),
    secretKey: text,
    sessionToken: maybe(text),
  }),
  fc.record({ kind: fc.constant('api-key' as const), accessKey: fc.constantFrom('key-1', 'key-2') }),
)
const input: fc.Arbitrary<InvokeRequestInput> = fc.record({
  functionName: fc.constantFrom('bench-Echo', 'tcb-SignUp'),
  requestData: fc.oneof(fc.constantFrom('', '  ', ' {"a":1} ', '{"a":"\\u0000"}'), fc.json()),
  env: fc.constantFrom('test-env-1a2b', 'Env With Spaces', 'e'),
  credentials,
  context: fc.record(
    {
      TRIGGER_SRC: fc.constantFrom('timer', 'http'),
      WX_TRIGGER_API_TOKEN_V0: text,
      WX_API_TOKEN: text,
      WX_CLOUDBASE_ACCESSTOKEN: text,
      TCB_SESSIONTOKEN: text,
      TCB_ROUTE_KEY: text,
      TCB_SOURCE: text,
      TCB_TRACELOG: text,
    },
    { requiredKeys: [] },
  ),
  runtimeTag: fc.constantFrom('unknown', 'scf'),
  region: fc.constantFrom('', 'ap-shanghai'),
  runtimeRegion: fc.constantFrom('', 'ap-shanghai'),
  internal: fc.boolean(),
  serviceUrl: fc.constantFrom('', 'http://127.0.0.1:40123/admin', 'https://Example.COM:8443/admin?x=1&', 'http://h/admin#frag', 'http://h'),
  seqId: fc.oneof(fc.constantFrom('19ad0c3e1f0_1', 'caller-1_2', 'a#b', '?x'), text),
  // Around a UTC midnight, so the signing date changes between calls.
  now: fc.integer({ min: 1795305598000, max: 1795305602000 }),
  sdkVersion: fc.constantFrom('page-module-node/0.1.0', ' Mixed Case/1 '),
  headers: fc.dictionary(fc.constantFrom('X-Trace', 'x-extra', ' Host', 'User-Agent', 'x-client-timestamp '), text, { maxKeys: 3 }),
})

describe('createInvokeRequestBuilder', () => {
  it('sends the bytes of buildInvokeRequest, call after call, whatever changes between calls', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 6 }), (inputs) => {
        const build = createInvokeRequestBuilder()
        for (const one of inputs) {
          let expected: PreparedInvokeRequest | Error
          try {
            expected = general(one)
          } catch (error) {
            expected = error as Error
          }
          if (expected instanceof Error) expect(() => build(one)).toThrow(expected.message)
          else expect(build(one)).toEqual(expected)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('reuses its template across calls that differ only in seqId, clock and request data', () => {
    const build = createInvokeRequestBuilder()
    const headers = { 'X-Trace': 'abc' }
    const context = { TCB_SOURCE: 'wx_client', WX_API_TOKEN: 'token' }
    for (let call = 0; call < 50; call++) {
      const one = inputOf({
        headers,
        context: call % 2 === 0 ? context : { ...context },
        seqId: `19ad0c3e1f0_${call.toString(16)}`,
        now: 1795305599000 + call * 40,
        requestData: JSON.stringify({ call }),
      })
      expect(build(one)).toEqual(general(one))
    }
  })

  it('follows a header object changed in place between calls', () => {
    const build = createInvokeRequestBuilder()
    const headers: Record<string, string> = { 'X-Trace': 'first' }
    expect(build(inputOf({ headers }))).toEqual(general(inputOf({ headers })))
    headers['X-Trace'] = 'second'
    headers['x-more'] = 'yes'
    const after = build(inputOf({ headers }))
    expect(after).toEqual(general(inputOf({ headers })))
    expect(after.headerList).toContain('second')
  })

  it('makes requests the official signer verifies', () => {
    const build = createInvokeRequestBuilder()
    for (const one of [inputOf(), inputOf({ seqId: '19ad0c3e1f0_2', now: 1795287644001, context: { TCB_SOURCE: 'Wx_Client' } })]) {
      const { url, headerList, body } = build(one)
      const headers: Record<string, string> = {}
      for (let index = 0; index < headerList.length; index += 2)
        headers[(headerList[index] as string).toLowerCase()] = headerList[index + 1] as string
      const target = new URL(url)
      const verdict = verifyWithOfficialSigner({ method: 'POST', url: `${target.pathname}${target.search}`, headers, body }, keyPair)
      expect(verdict).toEqual({ ok: true })
    }
  })
})
