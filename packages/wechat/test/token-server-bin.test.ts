import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { APP, startEmulatedWeChat } from './emulated-wechat'
import { startTokenServerProcess } from './token-server-process'
import { assertBuilt } from './token-workers'

const bin = path.join(import.meta.dirname, '..', 'bin', 'page-module-token-server.mjs')
const SECRET = 'bin-test-secret-0123456789'

beforeAll(() => assertBuilt())

describe('page-module-token-server (the published bin)', () => {
  it('serves tokens on loopback behind the bearer secret and stops on SIGTERM', async () => {
    const wechat = await startEmulatedWeChat()
    const server = await startTokenServerProcess([bin, '--port', '0', '--api-base-url', wechat.apiBaseUrl], {
      secret: SECRET,
      apps: `${APP.appId}:${APP.appSecret}`,
    })
    try {
      expect(server.url, server.firstLine).toBeDefined()
      expect((await server.getToken(APP.appId)).status).toBe(401)
      const { access_token: accessToken } = (await (await server.getToken(APP.appId, SECRET)).json()) as { access_token: string }
      expect(wechat.emulator.checkToken(accessToken).errcode).toBe(0)
      expect(wechat.emulator.counters.tokensIssued).toBe(1)
      expect(await server.stop('SIGTERM')).toBe(0)
    } finally {
      server.kill()
    }
  })
})
