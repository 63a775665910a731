import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { mountWeChatApi, type MountedWeChatApi } from '../src/emulator/wechat/mount-wechat-api'
// @ts-expect-error — the example is plain JavaScript without declarations.
import { startServer } from '../../../examples/node-server/server.mjs'
// @ts-expect-error — the example is plain JavaScript without declarations.
import { createExpressApp } from '../../../examples/node-server/express.mjs'
// @ts-expect-error — the example is plain JavaScript without declarations.
import { createKoaApp } from '../../../examples/node-server/koa.mjs'

export type Mount = 'node-http' | 'express' | 'koa'

export interface WeChatServerHarness {
  readonly emulator: Emulator
  readonly wechat: MountedWeChatApi
  /** The example server's URL. */
  readonly url: string
  readonly pushToken: string
  close(): Promise<void>
}

/** The emulator (WeChat's side) and examples/node-server (ours) on loopback ports, the server mounted as asked. */
export async function startWeChatServer(mount: Mount = 'node-http'): Promise<WeChatServerHarness> {
  const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-wechat-'))
  const emulator = await startEmulator({ functionsDir, env: 'wechat-server-test', log: () => undefined })
  const wechat = mountWeChatApi(emulator)
  const pushToken = 'PushToken123'
  const config = {
    // The emulator serves one app: it is both the mini-program and the Official Account here.
    miniProgram: { appId: wechat.appId, appSecret: wechat.appSecret },
    officialAccount: { appId: wechat.appId, appSecret: wechat.appSecret },
    sessionSecret: 'session-secret-for-the-example-server-0123456789',
    push: { token: pushToken, encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' },
    apiBaseUrl: emulator.url,
    openBaseUrl: emulator.url,
  }
  let url: string
  let closeServer: () => Promise<void>
  if (mount === 'node-http') {
    const started = (await startServer(config)) as { url: string; close(): Promise<void> }
    url = started.url
    closeServer = started.close
  } else {
    const app = mount === 'express' ? createExpressApp(config) : createKoaApp(config)
    const server: Server = await new Promise((resolve) => {
      const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening))
    })
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    closeServer = () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  return {
    emulator,
    wechat,
    url,
    pushToken,
    async close() {
      await closeServer()
      await emulator.close()
      rmSync(functionsDir, { recursive: true, force: true })
    },
  }
}
