import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { officialSign } from '../../test/official-signer'
import { signCanonicalRequest, signCloudBaseRequest, type SignCloudBaseRequestInput } from './sign-request'

describe('signCloudBaseRequest', () => {
  // The reference gives the canonical request (its payload hash, not the body) and the resulting Authorization.
  const example = {
    secretId: 'AKIDEXAMPLE1234567890abcdefghijkl',
    secretKey: 'SecretKeyExample0123456789abcdef',
    timestamp: 1700000000,
    host: 'test-env-1a2b3c.tcb-api.tencentcloudapi.com',
    canonicalRequest: [
      'post',
      '//test-env-1a2b3c.tcb-api.tencentcloudapi.com/admin',
      'env=test-env-1a2b3c&seqId=18bcfe56800_1',
      'content-type:application/json',
      'host:test-env-1a2b3c.tcb-api.tencentcloudapi.com',
      'user-agent:tcb-node-sdk/3.18.3',
      'x-client-timestamp:1700000000123',
      'x-sdk-version:tcb-node-sdk/3.18.3',
      'x-tcb-source:,unknown',
      '',
      'content-type;host;user-agent;x-client-timestamp;x-sdk-version;x-tcb-source',
      'bd053ab62960de4dcc8fbfec92c902452caffbb23a895b7e6bc58d8e10ff14bf',
    ].join('\n'),
    authorization:
      'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE1234567890abcdefghijkl/2023-11-14/tcb/tc3_request, ' +
      'SignedParams=action;envname;function_name;request_data, ' +
      'SignedHeaders=content-type;host;user-agent;x-client-timestamp;x-sdk-version;x-tcb-source, ' +
      'Signature=a5ff9e5aa55b64f773db59c6478643c4ad6b482b5e86c32f30347b17c04af4dd',
  }

  it("builds the canonical request of the reference's worked example", () => {
    const signature = signCloudBaseRequest({
      ...example,
      method: 'post',
      url: `https://${example.host}/admin?env=test-env-1a2b3c&seqId=18bcfe56800_1`,
      headers: {
        'content-type': 'application/json',
        'User-Agent': 'tcb-node-sdk/3.18.3',
        'X-TCB-Source': ',unknown',
        'X-Client-Timestamp': 1700000000123,
        'X-SDK-Version': 'tcb-node-sdk/3.18.3',
        Host: example.host,
      },
      params: {
        action: 'functions.invokeFunction',
        function_name: 'x',
        request_data: '{"a":1}',
        envName: 'test-env-1a2b3c',
        wxCloudApiToken: '',
      },
    })
    const withoutPayloadHash = (canonical: string) => canonical.slice(0, canonical.lastIndexOf('\n'))
    expect(withoutPayloadHash(signature.canonicalRequest)).toBe(withoutPayloadHash(example.canonicalRequest))
    expect(signature.signedParams).toEqual(['action', 'envname', 'function_name', 'request_data'])
  })

  it("signs the reference's worked example to its Authorization", () => {
    const signed = signCanonicalRequest({
      ...example,
      signedParams: ['action', 'envname', 'function_name', 'request_data'],
      signedHeaders: ['content-type', 'host', 'user-agent', 'x-client-timestamp', 'x-sdk-version', 'x-tcb-source'],
    })
    expect(signed.authorization).toBe(example.authorization)
  })

  it('equals the official signer, intermediates included, for generated requests', () => {
    fc.assert(
      fc.property(signInputArbitrary(), (input) => {
        const ours = signCloudBaseRequest(input)
        const official = officialSign({ ...input, headers: { ...input.headers }, params: { ...input.params } })
        expect(ours.canonicalRequest).toBe(official.canonicalRequest)
        expect(ours.hashedPayload).toBe(official.hashedPayload)
        expect(ours.stringToSign).toBe(official.stringToSign)
        expect(ours.authorization).toBe(official.authorization)
      }),
      { numRuns: 400 },
    )
  })

  it('leaves empty params out of SignedParams and keeps the STS token in', () => {
    const signature = signCloudBaseRequest({
      secretId: 'id',
      secretKey: 'key',
      method: 'post',
      url: 'http://127.0.0.1:8080/admin?env=e&seqId=1',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:8080' },
      params: { action: 'functions.invokeFunction', request_data: '', sessionToken: 'sts', skipped: undefined },
      timestamp: 1,
    })
    expect(signature.signedParams).toEqual(['action', 'sessiontoken'])
  })

  it('refuses a host header that differs from the URL, as the official signer does', () => {
    const input = {
      secretId: 'id',
      secretKey: 'key',
      method: 'post',
      url: 'http://127.0.0.1:80/admin',
      headers: { 'content-type': 'application/json', host: '127.0.0.1' },
      params: {},
      timestamp: 1,
    }
    expect(() => signCloudBaseRequest(input)).toThrow(TypeError)
    expect(() => officialSign(input)).toThrow(TypeError)
  })
})

// The official sign() clones its input with `clone`, which drops own keys that shadow Object.prototype
// (`toString`, `constructor`…); no CloudBase header or body field has such a name, so they are not generated.
const notInheritedName = (name: string) => !(name in Object.prototype)
const headerName = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,12}$/)
  .filter((name) => notInheritedName(name) && !['host', 'content-type'].includes(name.toLowerCase()))
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '  padded  ', '中文 数据', ' Mixed CASE ', '\t tab', 'a,b;c=d'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
)
const headerValue = fc.oneof(text, fc.integer(), fc.constant(true))
const paramValue = fc.oneof(
  text,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
)
const host = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[a-z0-9_-]{1,20}$/), fc.constantFrom('', 'ap-shanghai.', 'internal.ap-guangzhou.'))
    .map(([env, region]) => `${env}.${region}tcb-api.tencentcloudapi.com`),
  fc.constant('127.0.0.1'),
  fc.constant('Mixed.Case.Example'),
)
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })
const query = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[a-z0-9_-]{0,20}$/), fc.stringMatching(/^[0-9a-f]{1,12}_[0-9a-f]{1,4}$/))
    .map(([env, seqId]) => `?env=${env}&seqId=${seqId}`),
  fc.constant('?env=e&seqId=1&scfRequestId=abc-123'),
  fc.constant('?x=1&env=e&seqId=1'),
  fc.constant(''),
)

function signInputArbitrary(): fc.Arbitrary<SignCloudBaseRequestInput> {
  return fc
    .record({
      scheme: fc.constantFrom('http', 'https'),
      host,
      port,
      query,
      contentType: fc.constantFrom('application/json', 'Application/JSON; charset=UTF-8', 'multipart/form-data; boundary=abc'),
      extraHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
      params: fc.record(
        {
          action: fc.constant('functions.invokeFunction'),
          function_name: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,20}$/),
          request_data: fc.oneof(
            fc.constant(''),
            fc.jsonValue().map((value) => JSON.stringify(value)),
            text,
          ),
          envName: fc.stringMatching(/^[a-z0-9-]{0,12}$/),
          wxCloudApiToken: text,
          tcb_sessionToken: text,
          sessionToken: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
          crossAuthorizationToken: fc.constant(''),
        },
        { requiredKeys: ['action', 'function_name', 'request_data', 'envName'] },
      ),
      extraParams: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter(notInheritedName), paramValue, { maxKeys: 4 }),
      secretId: fc.stringMatching(/^AKID[A-Za-z0-9]{0,32}$/),
      secretKey: fc.string({ minLength: 1, maxLength: 40 }),
      timestamp: fc.integer({ min: 1, max: 4_102_444_800 }),
    })
    .map(({ scheme, host, port, query, contentType, extraHeaders, params, extraParams, secretId, secretKey, timestamp }) => {
      const authority = port === undefined ? host : `${host}:${port}`
      return {
        secretId,
        secretKey,
        method: 'post',
        url: `${scheme}://${authority}/admin${query}`,
        headers: { ...extraHeaders, 'content-type': contentType, Host: authority },
        params: { ...extraParams, ...params },
        timestamp,
      }
    })
}
