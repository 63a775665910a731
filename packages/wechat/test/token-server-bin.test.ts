import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, it } from 'vitest'
import { APP, startEmulatedWeChat } from './emulated-wechat'
import { assertBuilt } from './token-workers'

const bin = path.join(import.meta.dirname, '..', 'bin', 'page-module-token-server.mjs')
const SECRET = 'bin-test-secret-0123456789'

beforeAll(() => assertBuilt())

describe('page-module-token-server (the published bin)', () => {
  it('serves tokens on loopback behind the bearer secret and stops on SIGTERM', async () => {
    const wechat = await startEmulatedWeChat()
    const child = spawn(process.execPath, [bin, '--port', '0', '--api-base-url', wechat.apiBaseUrl], {
      env: { ...process.env, PAGE_MODULE_TOKEN_SERVER_SECRET: SECRET, WECHAT_APPS: `${APP.appId}:${APP.appSecret}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
      const url = /on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1]
      expect(url, firstLine).toBeDefined()
      expect((await fetch(`${url}/v1/token?appid=${APP.appId}`)).status).toBe(401)
      const answer = await fetch(`${url}/v1/token?appid=${APP.appId}`, { headers: { authorization: `Bearer ${SECRET}` } })
      const { access_token: accessToken } = (await answer.json()) as { access_token: string }
      expect(wechat.emulator.checkToken(accessToken).errcode).toBe(0)
      expect(wechat.emulator.counters.tokensIssued).toBe(1)
      process.kill(child.pid!, 'SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL')
    }
  })
})
