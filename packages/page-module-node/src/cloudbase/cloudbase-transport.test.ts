import http from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isPageModuleError, type PageModuleError } from '@page-module/core'
import { startLoopbackCloudBase, type Answer, type LoopbackCloudBase } from '../../test/loopback-cloudbase'
import answers from '../__fixtures__/cloudbase-answers.json'
import { PageModule, type CloudBaseHttpPageModuleOptions } from '../page-module'

const secretId = 'AKIDloopbackTestId'
const secretKey = 'SECRET-KEY-must-not-leak-5a1f'
const sessionToken = 'STS-TOKEN-must-not-leak-9c2e'
const rotatedKey = 'ROTATED-KEY-must-not-leak-77d0'
const apiKey = 'API-KEY-must-not-leak-31b8'
const secrets = [secretKey, sessionToken, rotatedKey, apiKey]

let server: LoopbackCloudBase
const logLines: string[] = []
const thrown: unknown[] = []

beforeAll(async () => {
  server = await startLoopbackCloudBase({
    credentials: [
      { secretId, secretKey },
      { secretId: 'AKIDrotated', secretKey: rotatedKey },
    ],
    apiKey,
  })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.requests.length = 0
})

function signUp(options: CloudBaseHttpPageModuleOptions = {}): PageModule {
  return new PageModule('tcb:SignUp', {
    secretId,
    secretKey,
    sessionToken,
    env: 'test-env-1a2b',
    serviceUrl: server.serviceUrl,
    retries: 0,
    logger: (line) => logLines.push(line),
    environment: {},
    ...options,
  })
}

async function failure(promise: Promise<unknown>): Promise<PageModuleError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  thrown.push(error)
  if (!isPageModuleError(error)) throw new Error(`expected a PageModuleError, got ${String(error)}`)
  return error
}

describe('the CloudBase transport against a loopback /admin', () => {
  it('sends a request the official signer verifies and resolves with the module data', async () => {
    await expect(signUp().callMethod('doSignIn', { day: '2026-11-21', name: '小明  ' })).resolves.toEqual({
      echo: { day: '2026-11-21', name: '小明  ' },
      method: 'doSignIn',
    })
    const [request] = server.requests
    expect(request?.verified).toBe(true)
    expect(request?.url).toMatch(/^\/admin\?env=test-env-1a2b&seqId=[0-9a-f]+_[0-9a-f]+$/)
    expect(request?.params).toMatchObject({
      action: 'functions.invokeFunction',
      function_name: 'tcb-SignUp',
      envName: 'test-env-1a2b',
      sessionToken,
      wxCloudApiToken: '',
      tcb_sessionToken: '',
      crossAuthorizationToken: '',
    })
    expect(request?.headers.authorization).toContain('SignedParams=action;envname;function_name;request_data;sessiontoken,')
    expect(request?.headers['x-signature-expires']).toBe('600')
    expect(request?.headers.connection).toBe('keep-alive')
  })

  it('signs every attempt afresh: a retried call carries a new seqId and timestamp', async () => {
    let clock = Date.UTC(2026, 10, 21)
    server.script({ kind: 'json', body: answers.systemError })
    await signUp({ retries: 1, retryDelay: () => 0, now: () => (clock += 5000) }).callMethod(
      'doSignIn',
      {},
      { idempotencyKey: 'sign-in-u1' },
    )
    expect(server.requests.map((request) => request.verified)).toEqual([true, true])
    const [first, second] = server.requests
    expect(first?.headers['x-timestamp']).not.toBe(second?.headers['x-timestamp'])
    expect(first?.url).not.toBe(second?.url)
  })

  it('reads TENCENTCLOUD_* credentials on every request, so rotated keys are used at once', async () => {
    const environment: Record<string, string> = {
      TENCENTCLOUD_SECRETID: secretId,
      TENCENTCLOUD_SECRETKEY: secretKey,
      TCB_ENV: 'env-from-var',
    }
    const pageModule = signUp({ secretId: undefined, secretKey: undefined, sessionToken: undefined, env: undefined, environment })
    await pageModule.callMethod('doSignIn')
    Object.assign(environment, {
      TENCENTCLOUD_SECRETID: 'AKIDrotated',
      TENCENTCLOUD_SECRETKEY: rotatedKey,
      TENCENTCLOUD_SESSIONTOKEN: sessionToken,
    })
    await pageModule.callMethod('doSignIn')
    expect(server.requests.map((request) => /Credential=(\w+)\//.exec(String(request.headers.authorization))?.[1])).toEqual([
      secretId,
      'AKIDrotated',
    ])
    expect(server.requests.map((request) => request.params.sessionToken)).toEqual([undefined, sessionToken])
    expect(server.requests[0]?.params.envName).toBe('env-from-var')
  })

  it('sends an API key as a Bearer token when no key pair is configured', async () => {
    await signUp({
      secretId: undefined,
      secretKey: undefined,
      sessionToken: undefined,
      environment: { CLOUDBASE_APIKEY: apiKey },
    }).callMethod('doSignIn')
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`)
    expect(server.requests[0]?.headers['x-timestamp']).toMatch(/^\d+$/)
  })

  it('refuses to send without credentials or env, naming the option and the variable', async () => {
    const noKeys = await failure(signUp({ secretId: undefined, secretKey: undefined, sessionToken: undefined }).callMethod('doSignIn'))
    expect(noKeys).toMatchObject({ code: 'MISSING_CREDENTIALS', requestSent: false })
    expect(noKeys.message).toMatch(/secretId.*TENCENTCLOUD_SECRETID.*CLOUDBASE_APIKEY/)
    const noEnv = await failure(signUp({ env: undefined }).callMethod('doSignIn'))
    expect(noEnv).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(noEnv.message).toMatch(/env.*TCB_ENV/)
    expect(server.requests).toHaveLength(0)
  })

  it("signs extra headers, keeps the protocol's own, and uses a given agent", async () => {
    const agent = new http.Agent({ keepAlive: false })
    await signUp({ headers: { 'X-Trace-Id': 'trace-1', 'User-Agent': 'not-allowed', host: 'evil.example' }, agent }).callMethod('doSignIn')
    const [request] = server.requests
    expect(request?.verified).toBe(true)
    expect(request?.headers['x-trace-id']).toBe('trace-1')
    expect(request?.headers['user-agent']).toMatch(/^page-module-node\//)
    expect(String(request?.headers.authorization)).toMatch(
      /SignedHeaders=content-type;host;user-agent;x-client-timestamp;x-sdk-version;x-tcb-source;x-trace-id,/,
    )
    expect(request?.headers.connection).toBe('close')
  })

  it('reads the platform once, when made, and the cloud context on every request', async () => {
    const environment: Record<string, string> = { TCB_CONTEXT_KEYS: 'TCB_SOURCE', TCB_SOURCE: 'first' }
    const module = signUp({ environment })
    await module.callMethod('doSignIn')
    Object.assign(environment, { TENCENTCLOUD_RUNENV: 'SCF', TCB_SOURCE: 'second' })
    await module.callMethod('doSignIn')
    expect(server.requests.map((request) => request.headers['x-tcb-source'])).toEqual(['first,unknown', 'second,unknown'])
    expect(server.requests.map((request) => request.headers.connection)).toEqual(['keep-alive', 'keep-alive'])
  })

  it("reads process.env's cloud context once outside a cloud function, and on every request inside one", async () => {
    const saved = { ...process.env }
    const point = (url: string) => (process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: url }))
    try {
      for (const name of ['TENCENTCLOUD_RUNENV', 'SCF_NAMESPACE', 'TCB_CONTEXT_KEYS', 'WX_CONTEXT_KEYS', 'CBR_ENV_ID', 'SUMERU_ENV'])
        delete process.env[name]
      point(server.serviceUrl)
      const onServer = new PageModule('tcb:SignUp', { secretId, secretKey, env: 'test-env-1a2b', retries: 0 })
      point('http://127.0.0.1:9/admin')
      await onServer.callMethod('doSignIn')
      expect(server.requests).toHaveLength(1)
      await onServer.close()

      process.env.TENCENTCLOUD_RUNENV = 'SCF'
      point('http://127.0.0.1:9/admin')
      const inFunction = new PageModule('tcb:SignUp', { secretId, secretKey, env: 'test-env-1a2b', retries: 0 })
      point(server.serviceUrl)
      await inFunction.callMethod('doSignIn')
      expect(server.requests).toHaveLength(2)
      await inFunction.close()
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
      Object.assign(process.env, saved)
    }
  })

  it('refuses malformed options at construction', () => {
    expect(() => signUp({ serviceUrl: 'ftp://127.0.0.1/admin' })).toThrow(/serviceUrl must be an http/)
    expect(() => signUp({ env: 'has space' })).toThrow(/env must be/)
  })

  it('refuses bad headers, agents and callbacks at construction, never echoing a header value', () => {
    const refusal = (options: Parameters<typeof signUp>[0]) => {
      try {
        signUp(options)
      } catch (error) {
        return error as PageModuleError
      }
      throw new Error('accepted')
    }
    const cases: Array<[Parameters<typeof signUp>[0], RegExp]> = [
      [{ headers: { 'X-Token': 'secret-value\r\nX-Injected: 1' } }, /headers\['X-Token'\] is not a valid HTTP header/],
      [{ headers: { 'Bad Name': 'v' } }, /headers\['Bad Name'\] is not a valid HTTP header/],
      [{ headers: { 'X-Count': 3 as never } }, /headers\['X-Count'\] must be a string, got number/],
      [{ headers: { 'X-Trace-Id': 'a', 'x-trace-id': 'b' } }, /headers has 'x-trace-id' twice/],
      [{ headers: [] as never }, /headers must be an object/],
      [{ agent: {} as never }, /agent must be an http.Agent/],
      [{ logger: 'console' as never }, /logger must be a function, got string/],
      [{ now: 1 as never }, /now must be a function, got number/],
      [{ debug: 'yes' as never }, /debug must be true or false/],
      [{ environment: null as never }, /environment must be an object/],
    ]
    for (const [options, message] of cases) {
      const error = refusal(options)
      expect(error).toMatchObject({ code: 'INVALID_OPTIONS' })
      expect(error.message).toMatch(message)
      expect(JSON.stringify(error)).not.toContain('secret-value')
    }
    expect(server.requests).toHaveLength(0)
  })

  it('refuses half a key pair when calling, naming both options', async () => {
    const error = await failure(signUp({ secretKey: undefined }).callMethod('doSignIn'))
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(error.message).toMatch(/secretId and secretKey/)
  })

  const cases: Array<[string, Answer, Partial<PageModuleError>]> = [
    [
      'FUNCTIONS_EXECUTE_FAIL',
      { kind: 'json', body: answers.functionFailed },
      { code: 'FUNCTION_FAILED', cloudRequestId: 'emu-3-0000-1111', retryable: false, requestSent: true },
    ],
    [
      'a missing function',
      { kind: 'json', body: answers.functionNotFound },
      { code: 'FUNCTION_NOT_FOUND', cloudRequestId: 'emu-4-0000-1111' },
    ],
    ['SIGN_PARAM_INVALID', { kind: 'json', body: answers.signatureInvalid }, { code: 'AUTH_FAILED' }],
    ['INVALID_ENV', { kind: 'json', body: answers.invalidEnv }, { code: 'INVALID_ENV' }],
    ['SYS_ERR', { kind: 'json', body: answers.systemError }, { code: 'CLOUDBASE_ERROR', retryable: true, requestSent: true }],
    ['an unknown CloudBase code', { kind: 'json', body: answers.unknownCode }, { code: 'CLOUDBASE_ERROR', retryable: false }],
    ['200 without data', { kind: 'json', body: answers.noData }, { code: 'BAD_RESPONSE', requestSent: true }],
    [
      'HTTP 503 with JSON',
      { kind: 'json', status: 503, body: { code: 'SYS_ERR', message: 'busy' } },
      { code: 'HTTP_ERROR', retryable: true, requestSent: true },
    ],
    ['HTTP 502 with text', { kind: 'text', status: 502, text: '<html>Bad Gateway</html>' }, { code: 'HTTP_ERROR', retryable: true }],
    ['HTTP 404 with text', { kind: 'text', status: 404, text: 'not here' }, { code: 'HTTP_ERROR', retryable: false }],
    ['garbage', { kind: 'text', status: 200, text: '<<not json>>' }, { code: 'BAD_RESPONSE' }],
    ['an empty body', { kind: 'text', status: 200, text: '' }, { code: 'BAD_RESPONSE' }],
    ['a reset before the answer', { kind: 'reset-before-answer' }, { code: 'NETWORK', retryable: true, requestSent: undefined }],
    ['a reset in the middle of the body', { kind: 'reset-in-body' }, { code: 'NETWORK', retryable: true, requestSent: true }],
    ['an answer that does not come in time', { kind: 'slow', milliseconds: 5000 }, { code: 'TIMEOUT' }],
  ]
  it.each(cases)('maps %s to a typed error', async (_name, answer, expected) => {
    server.script(answer)
    const error = await failure(signUp({ timeout: 300 }).callMethod('doSignIn', { token: sessionToken }))
    expect(error).toMatchObject(expected)
    expect(server.requests).toHaveLength(1)
  })

  it('keeps the CloudBase code and message in details', async () => {
    server.script({ kind: 'json', body: answers.functionFailed })
    const error = await failure(signUp().callMethod('doSignIn'))
    expect(error.details).toMatchObject({ cloudbaseCode: 'FUNCTIONS_EXECUTE_FAIL', cloudbaseMessage: answers.functionFailed.message })
  })

  it('passes a response_data that is not JSON to core, which refuses it as BAD_RESPONSE', async () => {
    server.script({ kind: 'json', body: answers.successNotJson })
    await expect(failure(signUp().callMethod('doSignIn'))).resolves.toMatchObject({
      code: 'BAD_RESPONSE',
      cloudRequestId: 'emu-2-0000-1111',
    })
  })

  it('reports a refused connection as never sent, so core retries it', async () => {
    const closed = await startLoopbackCloudBase({ credentials: [] })
    await closed.close()
    const lines: string[] = []
    const error = await failure(
      signUp({
        serviceUrl: closed.serviceUrl,
        retries: 2,
        retryDelay: () => 0,
        logger: (line) => (lines.push(line), logLines.push(line)),
      }).callMethod('doSignIn'),
    )
    expect(error).toMatchObject({ code: 'NETWORK', requestSent: false, retryable: true, details: { errno: 'ECONNREFUSED' } })
    expect(lines).toHaveLength(3)
    expect(lines[2]).toMatch(/attempt 3 POST http:\/\/127\.0\.0\.1:\d+\/admin\?env=test-env-1a2b&seqId=\S+ → NETWORK requestSent=false/)
  })

  it("stops on the caller's abort signal", async () => {
    server.script({ kind: 'slow', milliseconds: 5000 })
    const controller = new AbortController()
    const call = signUp().callMethod('doSignIn', {}, { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await expect(failure(call)).resolves.toMatchObject({ code: 'ABORTED' })
  })

  it('redacts secrets that come back from the server in an answer', async () => {
    server.script({ kind: 'json', body: { code: 'SYS_ERR', message: `token ${sessionToken} with key ${secretKey} refused` } })
    const error = await failure(signUp().callMethod('doSignIn'))
    expect(error.message).toContain('token [redacted] with key [redacted] refused')
  })

  it('redacts a secret in the quoted body before cutting it to 200 characters, so no part of it stays', async () => {
    // The session token starts 6 characters before the cut: cutting first would keep 'STS-TO', which redaction then misses.
    server.script({ kind: 'text', status: 502, text: `${'x'.repeat(194)}${sessionToken}${'y'.repeat(40)}` })
    const error = await failure(signUp().callMethod('doSignIn'))
    expect(error).toMatchObject({ code: 'HTTP_ERROR', details: { status: 502, body: `${'x'.repeat(194)}[redac…` } })
    expect(String(error.details?.['body'])).not.toContain(sessionToken.slice(0, 6))
  })

  it('leaves no secret in any error, toJSON() or log line of the cases above', () => {
    expect(thrown.length).toBeGreaterThan(15)
    expect(logLines.length).toBeGreaterThan(15)
    const serialised = [
      ...thrown.map((error) => `${String(error)}\n${JSON.stringify(error)}\n${(error as Error).stack ?? ''}`),
      ...logLines,
    ].join('\n')
    for (const secret of secrets) expect(serialised).not.toContain(secret)
  })
})
