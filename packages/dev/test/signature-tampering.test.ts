import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sign } from '@cloudbase/signature-nodejs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { verifySignature, type SignedRequest } from '../src/emulator/cloudbase/admin/verify-signature'

const NOW_SECONDS = 1_795_287_643
const signer = { secretId: 'AKIDpropertySigner', secretKey: 'property-secret-key-a' }
const other = { secretId: 'AKIDpropertyOther', secretKey: 'property-secret-key-b' }
const keys = new Map([signer, other].map((pair) => [pair.secretId, pair.secretKey]))

interface Signable {
  readonly host: string
  readonly pathAndQuery: string
  readonly params: Record<string, string>
  readonly timestamp: number
}

/** A request signed as @cloudbase/node-sdk signs it: official signer, method post, params signed. */
function signed({ host, pathAndQuery, params, timestamp }: Signable): SignedRequest {
  const headers = {
    'content-type': 'application/json',
    host,
    'user-agent': 'page-module-property',
    'x-client-timestamp': String(timestamp * 1000),
  }
  const { authorization } = sign({
    ...signer,
    method: 'post',
    url: `http://${host}${pathAndQuery}`,
    headers,
    params,
    timestamp,
    withSignedParams: true,
  })
  return {
    pathAndQuery,
    headers: { ...headers, authorization, 'x-timestamp': String(timestamp), 'x-signature-expires': '600' },
    body: params,
  }
}

const identifier = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/)
// Whitespace around a value and the case of a header value are outside what CloudBase signs (the signer trims
// both and lowercases header values), so a changed value differs after that canonical form.
const canonical = (value: string, header: boolean) => (header ? value.trim().toLowerCase() : value.trim())
const textValue = fc.string({ minLength: 1, maxLength: 24 }).filter((value) => value.trim() !== '')

const signable = (host: fc.Arbitrary<string>) =>
  fc.record({
    host,
    pathAndQuery: fc
      .tuple(fc.constantFrom('local'), fc.stringMatching(/^[0-9a-f]{6,12}_[0-9a-f]{1,4}$/))
      .map(([env, seqId]) => `/admin?env=${env}&seqId=${seqId}`),
    params: fc.record({
      action: fc.constant('functions.invokeFunction'),
      function_name: identifier,
      request_data: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      envName: fc.constant('local'),
      wxCloudApiToken: fc.oneof(fc.constant(''), textValue),
    }),
    timestamp: fc.integer({ min: NOW_SECONDS - 300, max: NOW_SECONDS + 300 }),
  })

type Mutation = (request: SignedRequest) => SignedRequest | undefined

function withHeader(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const headers = { ...request.headers, [name]: value }
  if (value === undefined) delete headers[name]
  return { ...request, headers }
}

function authorizationOf(request: SignedRequest): string {
  return String(request.headers.authorization)
}

/** Each changes one signed part so that its canonical form differs. */
const mutations = {
  'a signed header value': fc.tuple(fc.constantFrom('content-type', 'host', 'user-agent', 'x-client-timestamp'), textValue).map(
    ([name, value]) =>
      (request: SignedRequest) =>
        canonical(String(request.headers[name]), true) === canonical(value, true) ? undefined : withHeader(request, name, value),
  ),
  'a body param value': fc.tuple(fc.constantFrom('action', 'function_name', 'request_data', 'envName', 'wxCloudApiToken'), textValue).map(
    ([name, value]) =>
      (request: SignedRequest) =>
        canonical(String(request.body[name] ?? ''), false) === canonical(value, false)
          ? undefined
          : { ...request, body: { ...request.body, [name]: value } },
  ),
  'an added body param': fc.tuple(identifier, textValue).map(
    ([name, value]) =>
      (request: SignedRequest) =>
        Object.keys(request.body).some((key) => key.toLowerCase() === name.toLowerCase())
          ? undefined
          : { ...request, body: { ...request.body, [name]: value } },
  ),
  'a removed body param': fc.constantFrom('action', 'function_name', 'request_data', 'envName').map((name) => (request: SignedRequest) => {
    const body = { ...request.body }
    delete body[name]
    return { ...request, body }
  }),
  'the timestamp': fc
    .integer({ min: -120, max: 120 })
    .filter((delta) => delta !== 0)
    .map((delta) => (request: SignedRequest) => withHeader(request, 'x-timestamp', String(Number(request.headers['x-timestamp']) + delta))),
  'the query': fc
    .constantFrom('&seqId=0', 'x', '&debug=1', '0')
    .map((suffix) => (request: SignedRequest) => ({ ...request, pathAndQuery: `${request.pathAndQuery}${suffix}` })),
  'the path': fc
    .constantFrom('/admin/', '/Admin', '/admin2')
    .map((changed) => (request: SignedRequest) => ({ ...request, pathAndQuery: request.pathAndQuery.replace('/admin', changed) })),
  'the env in the query': fc
    .constantFrom('prod', 'local2', 'LOCAL')
    .map((env) => (request: SignedRequest) => ({ ...request, pathAndQuery: request.pathAndQuery.replace('env=local', `env=${env}`) })),
  'the secretId': fc
    .constantFrom(other.secretId, 'AKIDunknown')
    .map(
      (secretId) => (request: SignedRequest) =>
        withHeader(request, 'authorization', authorizationOf(request).replace(`Credential=${signer.secretId}/`, `Credential=${secretId}/`)),
    ),
  'the signature': fc.nat(63).map((position) => (request: SignedRequest) => {
    const authorization = authorizationOf(request)
    const start = authorization.indexOf('Signature=') + 'Signature='.length + position
    const digit = authorization[start] === '0' ? '1' : '0'
    return withHeader(request, 'authorization', `${authorization.slice(0, start)}${digit}${authorization.slice(start + 1)}`)
  }),
  'the signed header list': fc
    .constantFrom('user-agent', 'x-client-timestamp')
    .map(
      (name) => (request: SignedRequest) =>
        withHeader(request, 'authorization', authorizationOf(request).replace(new RegExp(`(SignedHeaders=[^,]*?);?${name}`), '$1')),
    ),
} satisfies Record<string, fc.Arbitrary<Mutation>>

const anyMutation = fc.oneof(
  ...Object.entries(mutations).map(([name, mutation]) => mutation.map((apply) => ({ name, apply: apply as Mutation }))),
)
// Over HTTP the path must stay /admin to reach the check at all; header values must be sendable.
const sendableMutation = anyMutation.filter(({ name }) => name !== 'the path')
const sendable = (request: SignedRequest) => Object.values(request.headers).every((value) => /^[\x20-\x7e]*$/.test(String(value)))

function verifies(request: SignedRequest): boolean {
  return verifySignature(request, (secretId) => keys.get(secretId), NOW_SECONDS).ok
}

describe('the emulator signature check (property)', () => {
  it('accepts every request signed as the official SDK signs it', () => {
    fc.assert(
      fc.property(signable(fc.constant('127.0.0.1:8787')), (parts) => verifies(signed(parts))),
      { numRuns: 300 },
    )
  })

  it('refuses every request with one signed part changed: a header, a body param, the timestamp, the path or query, the secretId', () => {
    fc.assert(
      fc.property(signable(fc.constant('127.0.0.1:8787')), anyMutation, (parts, mutation) => {
        const tampered = mutation.apply(signed(parts))
        fc.pre(tampered !== undefined)
        return !verifies(tampered as SignedRequest)
      }),
      { numRuns: 1500 },
    )
  })
})

describe('a running emulator (property, over HTTP)', () => {
  let functionsDir: string
  let emulator: Emulator

  beforeAll(async () => {
    functionsDir = mkdtempSync(path.join(tmpdir(), 'signature-property-'))
    emulator = await startEmulator({ functionsDir, env: 'local', ...signer, log: () => undefined, nowSeconds: () => NOW_SECONDS })
  })
  afterAll(async () => {
    await emulator.close()
    rmSync(functionsDir, { recursive: true, force: true })
  })

  it('answers SIGN_PARAM_INVALID to a tampered request, and lets the untouched one past the check', async () => {
    const host = new URL(emulator.url).host
    await fc.assert(
      fc.asyncProperty(signable(fc.constant(host)), sendableMutation, async (parts, mutation) => {
        const original = signed(parts)
        const tampered = mutation.apply(original)
        fc.pre(tampered !== undefined && sendable(tampered))
        expect((await post(emulator.url, original)).code).toBe('FUNCTIONS_EXECUTE_FAIL')
        expect(await post(emulator.url, tampered as SignedRequest)).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
      }),
      { numRuns: 60 },
    )
  })
})

/** Sends the request as it is, Host header included (fetch would replace it). */
function post(url: string, request: SignedRequest): Promise<{ code?: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(request.body)
    const outgoing = http.request(
      `${url}${request.pathAndQuery}`,
      { method: 'POST', headers: { ...request.headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }))
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}
