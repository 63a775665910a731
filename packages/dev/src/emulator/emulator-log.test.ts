import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWxCloudBridge } from '../wx-cloud-bridge'
import { postToBridge } from '../../test/post-to-bridge'
import { signAdminRequest } from '../../test/sign-admin-request'
import { startEmulator, type Emulator } from './start-emulator'
import { mountWeChatApi } from './wechat/mount-wechat-api'

const fixtures = path.join(import.meta.dirname, '../../test/fixtures/cloudfunctions')
const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-log-'))
const lines: string[] = []
let emulator: Emulator

beforeAll(async () => {
  cpSync(path.join(fixtures, 'reloadable'), path.join(functionsDir, 'reloadable'), { recursive: true })
  // A folder without index.js: reported when the emulator starts and when it is called.
  mkdirSync(path.join(functionsDir, 'unfinished'))
  writeFileSync(path.join(functionsDir, 'unfinished', 'config.json'), '{}')
  emulator = await startEmulator({ functionsDir, env: 'log-env', log: (line) => lines.push(line) })
})
afterAll(async () => {
  await emulator.close()
  rmSync(functionsDir, { recursive: true, force: true })
})

/** The lines logged while `during` ran. */
async function linesDuring(during: () => Promise<unknown>): Promise<string[]> {
  const before = lines.length
  await during()
  return lines.slice(before)
}

const sdk = (overrides: { env?: string; secretId?: string; secretKey?: string } = {}) =>
  tcb.init({
    env: overrides.env ?? emulator.env,
    secretId: overrides.secretId ?? emulator.secretId,
    secretKey: overrides.secretKey ?? emulator.secretKey,
    serviceUrl: `${emulator.url}/admin`,
  })

/** A correctly signed `/admin` request (the official signer) asking for `action`. */
async function signedAction(action: string) {
  const host = new URL(emulator.url).host
  const pathAndQuery = `/admin?env=${emulator.env}`
  const headers: Record<string, string> = { 'content-type': 'application/json', host }
  const body = { action, envName: emulator.env }
  const timestamp = Math.floor(Date.now() / 1000)
  const authorization = signAdminRequest({ ...emulator, pathAndQuery, headers, params: body, timestamp })
  const response = await fetch(`${emulator.url}${pathAndQuery}`, {
    method: 'POST',
    headers: { ...headers, authorization, 'x-timestamp': String(timestamp) },
    body: JSON.stringify(body),
  })
  return (await response.json()) as { code?: string }
}

function expectNoSecrets(logged: readonly string[], ...secrets: string[]) {
  for (const secret of [emulator.secretKey, ...secrets]) for (const line of logged) expect(line).not.toContain(secret)
}

describe('the emulator log: one line per refused request, with the reason and no secret', () => {
  it('logs a wrong secretKey as a bad signature', async () => {
    const wrongKey = 'wrong-key-0123456789abcdef'
    const logged = await linesDuring(() =>
      expect(sdk({ secretKey: wrongKey }).callFunction({ name: 'reloadable', data: {} })).rejects.toMatchObject({
        code: 'SIGN_PARAM_INVALID',
      }),
    )
    expect(logged).toEqual([
      '✕ POST /admin functions.invokeFunction refused  SIGN_PARAM_INVALID: the signature does not match — ' +
        'wrong secretKey, or the body or a signed header changed after signing',
    ])
    expectNoSecrets(logged, wrongKey)
  })

  it('logs an unknown secretId without spelling it out', async () => {
    const unknownId = 'AKIDsomeoneElse0123456789'
    const logged = await linesDuring(() =>
      expect(
        sdk({ secretId: unknownId, secretKey: 'their-key-0123456789' }).callFunction({ name: 'reloadable', data: {} }),
      ).rejects.toThrow(),
    )
    expect(logged).toEqual([
      '✕ POST /admin functions.invokeFunction refused  SIGN_PARAM_INVALID: the secretId AKID…6789 is unknown to this environment',
    ])
    expectNoSecrets(logged, unknownId, 'their-key-0123456789')
  })

  it('logs a call for another environment', async () => {
    const logged = await linesDuring(() =>
      expect(sdk({ env: 'other-env' }).callFunction({ name: 'reloadable', data: {} })).rejects.toMatchObject({ code: 'INVALID_ENV' }),
    )
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^✕ POST \/admin functions\.invokeFunction refused {2}INVALID_ENV: .*this emulator serves env log-env/)
    expectNoSecrets(logged)
  })

  it('logs an action the emulator does not serve', async () => {
    const logged = await linesDuring(async () => expect(await signedAction('nosuch.action')).toMatchObject({ code: 'INVALID_PARAM' }))
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^✕ POST \/admin nosuch\.action refused {2}INVALID_PARAM: the action "nosuch\.action" is not emulated/)
    expectNoSecrets(logged)
  })

  it('logs a bridge call refused for its Host or Origin, and one without the bridge header', async () => {
    const { port } = new URL(emulator.url)
    const post = (headers: Record<string, string>) => postToBridge(port, headers, 'reloadable')
    const bridge = { 'content-type': 'application/json', 'x-page-module-bridge': '1' }
    const logged = await linesDuring(async () => {
      expect(await post({ ...bridge, host: `rebind.example:${port}` })).toBe(403)
      expect(await post({ ...bridge, host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(403)
      expect(await post({ 'content-type': 'application/json', host: `127.0.0.1:${port}` })).toBe(403)
    })
    const refusedBridgeCall = '✕ POST /__page-module/wx-cloud/callFunction refused  403: '
    expect(logged).toEqual([
      `${refusedBridgeCall}not a loopback Host or Origin (Host rebind.example:${port})`,
      `${refusedBridgeCall}not a loopback Host or Origin (Host 127.0.0.1:${port}, Origin http://evil.example)`,
      `${refusedBridgeCall}not a POST with the bridge's x-page-module-bridge header`,
    ])
  })

  it('logs a bridge call for another environment', async () => {
    const bridge = createWxCloudBridge({ url: emulator.url, openid: 'oUser1', appid: 'wxApp1' })
    const call = bridge.callFunction({ name: 'reloadable', data: {}, config: { env: 'other-env' } })
    const logged = await linesDuring(() => expect(call).rejects.toThrow())
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^✕ POST \/__page-module\/wx-cloud\/callFunction refused {2}-501000: Environment invalid/)
  })
})

describe('the emulator log: WeChat API refusals', () => {
  it('logs a wrong appsecret and a bad access_token by path, never with the query that holds them', async () => {
    const { appId, appSecret } = mountWeChatApi(emulator)
    const wrongSecret = 'wrong-secret-0123456789abcdef'
    const badToken = 'not-a-token-0123456789abcdef'
    const logged = await linesDuring(async () => {
      const query = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: wrongSecret })
      expect(await (await fetch(`${emulator.url}/cgi-bin/token?${query}`)).json()).toMatchObject({ errcode: 40125 })
      const invoke = `${emulator.url}/tcb/invokecloudfunction?${new URLSearchParams({ access_token: badToken, env: 'log-env', name: 'x' })}`
      expect(await (await fetch(invoke, { method: 'POST', body: '{}' })).json()).toMatchObject({ errcode: 40001 })
    })
    expect(logged).toEqual([
      '✕ GET /cgi-bin/token refused  40125: invalid appsecret',
      '✕ POST /tcb/invokecloudfunction refused  40001: invalid credential, access_token is invalid or not latest',
    ])
    expectNoSecrets(logged, wrongSecret, badToken, appSecret)
  })
})

describe('the emulator log: functions', () => {
  it('reports a folder without index.js at start, and says why a call to it found nothing', async () => {
    expect(lines).toContain('! unfinished/ has no index.js — calls to unfinished fail until it has one exporting main')
    const logged = await linesDuring(() => emulator.invokeFunction('unfinished', {}))
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^unfinished ← server {2}FAIL not-found: FunctionName parameter could not be found\. {2}\d+ ms {2}/)
    expect(logged[0]).toMatch(/ {2}the folder unfinished\/ has no index\.js — add one exporting main$/)
  })

  it('lists the folders it found', () => {
    expect(emulator.listFunctions()).toEqual([
      { name: 'reloadable', hasIndex: true },
      { name: 'unfinished', hasIndex: false },
    ])
  })

  it('prints no ANSI escapes to a log of its own (colors only on a terminal)', async () => {
    await emulator.invokeFunction('reloadable', {})
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).not.toContain('\u001b')
  })
})
