import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTokenServerProcess } from '../../wechat/test/token-server-process'
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
    const server = await startTokenServerProcess([bin, 'token-server', '--port', '0', '--stable', '--api-base-url', wechat.apiBaseUrl], {
      secret: SECRET,
      apps: `${wechat.appId}:${wechat.appSecret}`,
    })
    try {
      expect(server.url, server.firstLine).toBeDefined()
      expect((await server.getToken(wechat.appId)).status).toBe(401)
      const { access_token: accessToken } = (await (await server.getToken(wechat.appId, SECRET)).json()) as { access_token: string }
      expect(wechat.wechat.checkToken(accessToken).errcode).toBe(0)
      expect(wechat.wechat.counters.stableTokenRequests).toBe(1)
      expect(await server.stop('SIGINT')).toBe(0)
    } finally {
      server.kill()
    }
  })

  it('refuses to start without its secret, with exit code 1 and what to set', async () => {
    const cli = spawn(process.execPath, [bin, 'token-server', '--port', '0'], {
      env: { ...process.env, PAGE_MODULE_TOKEN_SERVER_SECRET: '', WECHAT_APPS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let errors = ''
    cli.stderr.on('data', (chunk) => (errors += String(chunk)))
    expect(await new Promise<number | null>((resolve) => cli.once('exit', resolve))).toBe(1)
    expect(errors).toContain('WECHAT_APPS')
  })
})
