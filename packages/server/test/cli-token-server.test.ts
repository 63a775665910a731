import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountWeChatApi, startEmulator, type Emulator, type MountedWeChatApi } from '../src/emulator'

const bin = path.join(import.meta.dirname, '../bin/page-module.mjs')
const SECRET = 'cli-token-server-secret-0123456789'
let emulator: Emulator
let wechat: MountedWeChatApi

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: path.join(import.meta.dirname, 'fixtures/cloudfunctions'), log: () => undefined })
  wechat = mountWeChatApi(emulator)
})

afterAll(async () => {
  await emulator?.close()
})

describe('page-module token-server (built)', () => {
  it('serves GET /v1/token behind the bearer secret with tokens of the emulated WeChat, and stops on SIGINT', async () => {
    const cli = spawn(process.execPath, [bin, 'token-server', '--port', '0', '--stable', '--api-base-url', wechat.apiBaseUrl], {
      env: { ...process.env, PAGE_MODULE_TOKEN_SERVER_SECRET: SECRET, WECHAT_APPS: `${wechat.appId}:${wechat.appSecret}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve))
    try {
      const firstLine = await new Promise<string>((resolve) => createInterface({ input: cli.stdout }).once('line', resolve))
      const url = /on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1]
      expect(url, firstLine).toBeDefined()
      expect((await fetch(`${url}/v1/token?appid=${wechat.appId}`)).status).toBe(401)
      const answer = await fetch(`${url}/v1/token?appid=${wechat.appId}`, { headers: { authorization: `Bearer ${SECRET}` } })
      const { access_token: accessToken } = (await answer.json()) as { access_token: string }
      expect(wechat.wechat.checkToken(accessToken).errcode).toBe(0)
      expect(wechat.wechat.counters.stableTokenRequests).toBe(1)
      cli.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL')
    }
  })

  it('refuses to start without its secret, with exit code 1 and what to set', async () => {
    const cli = spawn(process.execPath, [bin, 'token-server', '--port', '0'], { env: { ...process.env, PAGE_MODULE_TOKEN_SERVER_SECRET: '', WECHAT_APPS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let errors = ''
    cli.stderr.on('data', (chunk) => (errors += String(chunk)))
    expect(await new Promise<number | null>((resolve) => cli.once('exit', resolve))).toBe(1)
    expect(errors).toContain('WECHAT_APPS')
  })
})
