import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createWxCloudBridge } from '../wx-cloud-bridge'
import { postToBridge } from '../../test/post-to-bridge'
import { signAdminRequest } from '../../test/sign-admin-request'
import { startEmulator, type Emulator } from './start-emulator'
import { isAlive } from '../../test/is-alive'

const functionsDir = path.join(import.meta.dirname, '../../test/fixtures/cloudfunctions')

let emulator: Emulator
const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-emulator-test-'))
let clockOffset = 0
const lines: string[] = []

beforeAll(async () => {
  emulator = await startEmulator({
    functionsDir,
    env: 'test-env-1a2b',
    log: (line) => lines.push(line),
    nowSeconds: () => Math.floor(Date.now() / 1000) + clockOffset,
    maxInstances: 4,
    dataDir,
  })
})
afterAll(async () => {
  await emulator.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** What the echo fixture answers. */
interface Echo {
  event: Record<string, unknown> & { index?: number }
  wxContext: Record<string, unknown>
  pid: number
}

function nodeSdk(overrides: { secretKey?: string; secretId?: string } = {}) {
  const app = tcb.init({
    env: emulator.env,
    secretId: overrides.secretId ?? emulator.secretId,
    secretKey: overrides.secretKey ?? emulator.secretKey,
    serviceUrl: `${emulator.url}/admin`,
  })
  return {
    callFunction: (options: { name: string; data: Record<string, unknown> }) =>
      app.callFunction(options) as Promise<{ result: Echo; requestId: string }>,
  }
}

/** A request as @cloudbase/node-sdk builds it, signed with the official signer; `change` tampers after signing. */
async function signedPost(
  change: (request: { headers: Record<string, string>; body: Record<string, unknown> }) => void = () => {},
  requestData = '{"a":1}',
  functionName = 'echo',
) {
  const host = new URL(emulator.url).host
  const pathAndQuery = `/admin?env=${emulator.env}&seqId=raw_1`
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'raw/1', 'x-sdk-version': 'raw/1', host }
  const body: Record<string, unknown> = {
    action: 'functions.invokeFunction',
    function_name: functionName,
    request_data: requestData,
    envName: emulator.env,
  }
  const timestamp = Math.floor(Date.now() / 1000) - 1
  const authorization = signAdminRequest({ ...emulator, pathAndQuery, headers, params: body, timestamp })
  const request = { headers: { ...headers, authorization, 'x-timestamp': String(timestamp), 'x-signature-expires': '600' }, body }
  change(request)
  const response = await fetch(`${emulator.url}${pathAndQuery}`, {
    method: 'POST',
    headers: request.headers,
    body: JSON.stringify(request.body),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { code?: string; message?: string; requestId: string; data?: { response_data: string } }
}

describe('the official @cloudbase/node-sdk against the emulator', () => {
  it('calls a function and gets what it returned, with the environment a cloud function sees', async () => {
    const { result, requestId } = await nodeSdk().callFunction({ name: 'echo', data: { a: 1, secretKeyProbe: emulator.secretKey } })
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(result).toMatchObject({
      event: { a: 1 },
      environment: {
        TCB_ENV: 'test-env-1a2b',
        SCF_NAMESPACE: 'test-env-1a2b',
        TENCENTCLOUD_RUNENV: 'SCF',
        TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${emulator.url}/admin` }),
        hasCredentials: true,
        FROM_CONFIG: 'yes',
        // The function has credentials of its own, never the emulator's key.
        EMULATOR_SECRET_LEAKED: false,
      },
      requestId,
    })
    // A server call carries no WeChat user.
    expect(result.wxContext.OPENID).toBeUndefined()
    expect(result.wxContext.ENV).toBe('test-env-1a2b')
  })

  it('keeps an instance warm and reuses it', async () => {
    const app = nodeSdk()
    const first = await app.callFunction({ name: 'echo', data: {} })
    const second = await app.callFunction({ name: 'echo', data: {} })
    expect(second.result.pid).toBe(first.result.pid)
  })

  it('refuses a wrong secretKey and an unknown secretId', async () => {
    await expect(nodeSdk({ secretKey: 'not-the-key' }).callFunction({ name: 'echo', data: {} })).rejects.toMatchObject({
      code: 'SIGN_PARAM_INVALID',
      message: expect.stringContaining('does not match'),
    })
    await expect(nodeSdk({ secretId: 'AKIDnobody' }).callFunction({ name: 'echo', data: {} })).rejects.toMatchObject({
      code: 'SIGN_PARAM_INVALID',
      message: expect.stringContaining('unknown'),
    })
  })

  it('refuses a signature outside the 600 s window', async () => {
    clockOffset = 601
    try {
      await expect(nodeSdk().callFunction({ name: 'echo', data: {} })).rejects.toMatchObject({
        code: 'SIGN_PARAM_INVALID',
        message: expect.stringContaining('expired'),
      })
    } finally {
      clockOffset = 0
    }
    clockOffset = 590
    try {
      await expect(nodeSdk().callFunction({ name: 'echo', data: {} })).resolves.toMatchObject({ result: { event: {} } })
    } finally {
      clockOffset = 0
    }
  })

  it('answers a missing function with FUNCTIONS_EXECUTE_FAIL, like the cloud', async () => {
    await expect(nodeSdk().callFunction({ name: 'no-such-function', data: {} })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: expect.stringContaining('FunctionName parameter could not be found.'),
    })
  })

  it('answers a function that throws with its message', async () => {
    await expect(nodeSdk().callFunction({ name: 'throws', data: {} })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'boom in throws',
    })
  })
})

describe('signature verification on the wire', () => {
  it('accepts a request signed with the official signer', async () => {
    const answer = await signedPost()
    expect(JSON.parse(answer.data!.response_data)).toMatchObject({ event: { a: 1 } })
  })

  it('refuses a body changed after signing', async () => {
    const answer = await signedPost((request) => (request.body.request_data = '{"a":2}'))
    expect(answer).toMatchObject({ code: 'SIGN_PARAM_INVALID', requestId: expect.any(String) })
    expect(answer.data).toBeUndefined()
  })

  it('refuses a field added to the body after signing', async () => {
    expect(await signedPost((request) => (request.body.qualifier = '1'))).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
  })

  it.each(['Function_Name', 'function_name ', ' FUNCTION_NAME'])(
    'refuses a captured request re-targeted by a key that collides with function_name (%j), running nothing',
    async (alias) => {
      const runsOfThrows = () => lines.filter((line) => line.startsWith('throws ←')).length
      const before = runsOfThrows()
      const answer = await signedPost((request) => {
        // The signed value stays under the alias; the emulator would read the new function_name.
        request.body.function_name = 'throws'
        request.body[alias] = 'echo'
      })
      expect(answer).toMatchObject({ code: 'SIGN_PARAM_INVALID', message: expect.stringContaining('one key once lower-cased') })
      expect(runsOfThrows()).toBe(before)
    },
  )

  it('refuses a signed header changed after signing', async () => {
    expect(await signedPost((request) => (request.headers['x-sdk-version'] = 'raw/2'))).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
  })

  it('refuses a timestamp header changed after signing', async () => {
    expect(
      await signedPost((request) => (request.headers['x-timestamp'] = String(Number(request.headers['x-timestamp']) - 10))),
    ).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
  })

  it('refuses an unsigned request and another environment', async () => {
    expect(await signedPost((request) => delete request.headers.authorization)).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
    await expect(nodeSdkForEnv('other-env').callFunction({ name: 'echo', data: {} })).rejects.toMatchObject({ code: 'INVALID_ENV' })
  })
})

function nodeSdkForEnv(env: string) {
  return tcb.init({ env, secretId: emulator.secretId, secretKey: emulator.secretKey, serviceUrl: `${emulator.url}/admin` })
}

describe('limits of /admin', () => {
  it('answers a deeply nested event with INVALID_PARAM at HTTP 200, holding no instance', async () => {
    const deep = `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
    expect(await signedPost(undefined, deep)).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('nested deeper') })
  })

  it('delivers data core accepts even when escaping it twice doubles the body, and refuses a larger event', async () => {
    // 6 MiB of JSON data made of quotes: JSON-encoded once more as request_data, the body is over 12 MiB.
    const data = JSON.stringify({ text: '"'.repeat(3 * 1024 * 1024 - 16) })
    expect(await signedPost(undefined, `{"data":${data}}`, 'throws')).toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'boom in throws',
    })
    const tooLarge = JSON.stringify({ text: '"'.repeat(3.5 * 1024 * 1024) })
    expect(await signedPost(undefined, `{"data":${tooLarge}}`, 'throws')).toMatchObject({
      code: 'INVALID_PARAM',
      message: expect.stringContaining("SCF's"),
    })
  })

  it('refuses an unsigned request before reading its body', async () => {
    const { port } = new URL(emulator.url)
    const answer = await new Promise<string>((resolve, reject) => {
      // Announces 8 MiB and sends none of it: only an answer given before the body can arrive.
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/admin',
        headers: { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) },
      })
      request.on('response', (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += String(chunk)))
        response.on('end', () => resolve(text))
      })
      request.on('error', reject)
      request.flushHeaders()
    })
    expect(JSON.parse(answer)).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
  })
})

describe('wx-server-sdk', () => {
  it('calls emulated functions from a server', async () => {
    const { default: cloud } = await import('wx-server-sdk')
    cloud.init({
      env: emulator.env,
      secretId: emulator.secretId,
      secretKey: emulator.secretKey,
      serviceUrl: `${emulator.url}/admin`,
    } as never)
    const answer = await cloud.callFunction({ name: 'echo', data: { b: 2 } })
    expect(answer).toMatchObject({ errMsg: 'callFunction:ok', result: { event: { b: 2 } }, requestID: expect.any(String) })
  })

  it('runs inside a function to call another one, with the credentials the emulator gave it, passing the user on', async () => {
    const wx = { cloud: createWxCloudBridge({ url: emulator.url, openid: 'oUser-caller', appid: 'wxAppId1' }) }
    const { result } = await wx.cloud.callFunction({ name: 'caller', data: {} })
    expect(result).toMatchObject({
      outer: { OPENID: 'oUser-caller', APPID: 'wxAppId1', SOURCE: 'wx_client' },
      // The call chain grows at each hop, as in the cloud: a custom-interface function tells a direct call from this one.
      inner: {
        event: { from: 'caller' },
        wxContext: { OPENID: 'oUser-caller', APPID: 'wxAppId1', ENV: 'test-env-1a2b', SOURCE: 'wx_client,scf' },
      },
    })
    expect(lines.some((line) => line.startsWith('echo ← oUser-caller via fn:caller'))).toBe(true)
  })
})

describe('the wx.cloud bridge', () => {
  const wx = () => ({ cloud: createWxCloudBridge({ url: emulator.url, openid: 'oUser-1', appid: 'wxAppId1', unionid: 'oUnion-1' }) })

  it('resolves like wx.cloud.callFunction, as the given user', async () => {
    const answer = await wx().cloud.callFunction({ name: 'echo', data: { c: 3 } })
    expect(answer).toMatchObject({ errMsg: 'cloud.callFunction:ok', requestID: expect.any(String) })
    expect(answer.result).toMatchObject({
      event: { c: 3, userInfo: { appId: 'wxAppId1', openId: 'oUser-1' } },
      wxContext: { OPENID: 'oUser-1', APPID: 'wxAppId1', UNIONID: 'oUnion-1', SOURCE: 'wx_client', ENV: 'test-env-1a2b' },
    })
  })

  it('rejects like wx.cloud when the function fails or is missing', async () => {
    await expect(wx().cloud.callFunction({ name: 'throws' })).rejects.toMatchObject({
      errCode: -404011,
      errMsg: expect.stringMatching(
        /^cloud\.callFunction:fail requestID [0-9a-f-]+, cloud function service error code -504002, error message boom in throws$/,
      ),
    })
    await expect(wx().cloud.callFunction({ name: 'nope' })).rejects.toMatchObject({
      errCode: -404011,
      errMsg: expect.stringMatching(
        /cloud function service error code -501000, error message FunctionName parameter could not be found\.$/,
      ),
    })
  })

  it('calls success and complete in the callback form', async () => {
    const success = vi.fn()
    const complete = vi.fn()
    await wx().cloud.callFunction({ name: 'echo', success, complete })
    expect(success).toHaveBeenCalledWith(expect.objectContaining({ errMsg: 'cloud.callFunction:ok' }))
    expect(complete).toHaveBeenCalledOnce()
  })

  it('answers only loopback Host names and no foreign Origin (DNS rebinding), running nothing', async () => {
    const { port } = new URL(emulator.url)
    const post = (headers: Record<string, string>) => postToBridge(port, headers, 'echo')
    const bridge = { 'content-type': 'application/json', 'x-page-module-bridge': '1' }
    const runsOfEcho = () => lines.filter((line) => line.startsWith('echo ← oVictim')).length
    for (const headers of [
      { host: `rebind.example:${port}` },
      { host: `127.0.0.1.rebind.example:${port}` },
      { host: `127.0.0.1:${port}`, origin: `http://rebind.example:${port}` },
      { host: `127.0.0.1:${port}`, origin: 'null' },
    ]) {
      expect(await post({ ...bridge, ...headers }), JSON.stringify(headers)).toBe(403)
    }
    expect(runsOfEcho()).toBe(0)
    for (const headers of [{ host: `127.0.0.1:${port}` }, { host: `localhost:${port}`, origin: `http://localhost:${port}` }]) {
      expect(await post({ ...bridge, ...headers }), JSON.stringify(headers)).toBe(200)
    }
    expect(runsOfEcho()).toBe(2)
  })

  it('is refused to callers without the bridge header', async () => {
    const response = await fetch(`${emulator.url}/__page-module/wx-cloud/callFunction`, {
      method: 'POST',
      body: JSON.stringify({ name: 'echo', openid: 'x' }),
    })
    expect(response.status).toBe(403)
  })
})

describe('extra handlers', () => {
  it('mounts a route in one line and lets it run functions as a given user', async () => {
    emulator.mount(async (request, response) => {
      if (!request.url?.startsWith('/cgi-bin/test-invoke')) return false
      const outcome = await emulator.invokeFunction('echo', { from: 'handler' }, { openid: 'oFromHandler', appid: 'wxAppId1' })
      response.end(JSON.stringify(outcome))
      return true
    })
    const outcome = await (await fetch(`${emulator.url}/cgi-bin/test-invoke`)).json()
    expect(outcome).toMatchObject({
      ok: true,
      requestId: expect.any(String),
      result: { event: { from: 'handler' }, wxContext: { OPENID: 'oFromHandler' } },
    })
    expect((await fetch(`${emulator.url}/cgi-bin/unknown`)).status).toBe(404)
  })
})

describe('robustness', () => {
  it('kills a function that outlives its timeout, and fails only that call', async () => {
    const app = nodeSdk()
    await expect(app.callFunction({ name: 'hang', data: {} })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'Invoking task timed out after 1 seconds',
    })
    const pid = Number(readFileSync(path.join(dataDir, 'tmp', 'hang', 'hang.pid'), 'utf8'))
    await vi.waitFor(() => expect(isAlive(pid)).toBe(false))
    await expect(app.callFunction({ name: 'echo', data: {} })).resolves.toMatchObject({ result: { event: {} } })
  })

  it('survives a function whose process dies mid-call', async () => {
    const app = nodeSdk()
    await expect(app.callFunction({ name: 'crash', data: {} })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: expect.stringContaining('exited'),
    })
    await expect(app.callFunction({ name: 'exits', data: {} })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: expect.stringContaining('code 3'),
    })
    expect(lines.some((line) => line.includes('[crash]') && line.includes('escaped from main'))).toBe(true)
    await expect(app.callFunction({ name: 'echo', data: { after: 'crash' } })).resolves.toMatchObject({
      result: { event: { after: 'crash' } },
    })
  })

  it('answers 200 concurrent calls, more than there are instances', async () => {
    const app = nodeSdk()
    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => app.callFunction({ name: 'echo', data: { index } })))
    expect(answers.map((answer) => answer.result.event.index)).toEqual(Array.from({ length: 200 }, (_, index) => index))
    expect(new Set(answers.map((answer) => answer.result.pid)).size).toBeLessThanOrEqual(4)
  })

  it('prints one line per call', () => {
    expect(lines.some((line) => /^echo ← server {2}ok {2}\d+ ms$/.test(line))).toBe(true)
    expect(lines.some((line) => /^throws ← server {2}FAIL error: boom in throws {2}\d+ ms$/.test(line))).toBe(true)
  })
})

describe('a relative dataDir', () => {
  it("is resolved against the emulator's working directory, not each function's folder", async () => {
    const absolute = mkdtempSync(path.join(tmpdir(), 'page-module-relative-data-'))
    const relative = path.relative(process.cwd(), absolute)
    const emulator = await startEmulator({ functionsDir, dataDir: relative, log: () => undefined })
    try {
      expect(emulator.dataDir).toBe(absolute)
      const outcome = await emulator.invokeFunction('echo', {})
      expect(outcome).toMatchObject({ ok: true, result: { environment: { TMPDIR: path.join(absolute, 'tmp', 'echo') } } })
    } finally {
      await emulator.close()
      rmSync(absolute, { recursive: true, force: true })
    }
  })
})
