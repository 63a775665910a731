import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { APP, startEmulatedWeChat, type EmulatedWeChat } from '../../test/emulated-wechat'
import { createRemoteTokenProvider } from '../tokens/remote-token-provider'
import { createTokenServer, type TokenServer } from './token-server'
import { runTokenServerCli } from './token-server-cli'

const SECRET = 'token-server-secret-0123456789'
const servers: TokenServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function setup(): Promise<{ wechat: EmulatedWeChat; url: string }> {
  const wechat = await startEmulatedWeChat()
  const server = createTokenServer({ secret: SECRET, apps: [APP], apiBaseUrl: wechat.apiBaseUrl, now: wechat.now })
  servers.push(server)
  const { url } = await server.listen()
  return { wechat, url }
}

function getToken(url: string, authorization?: string, appId: string = APP.appId) {
  return fetch(`${url}/v1/token?appid=${appId}`, authorization === undefined ? {} : { headers: { authorization } })
}

describe('createTokenServer', () => {
  it('refuses requests without the bearer secret or with a wrong one, and fetches nothing for them', async () => {
    const { url, wechat } = await setup()
    for (const authorization of [undefined, `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(0, -1)}`, SECRET, 'Bearer ']) {
      const response = await getToken(url, authorization)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } })
    }
    const invalidate = await fetch(`${url}/v1/token/invalidate`, {
      method: 'POST',
      body: JSON.stringify({ appid: APP.appId, access_token: 'x' }),
    })
    expect(invalidate.status).toBe(401)
    expect(wechat.emulator.counters.tokenRequests).toBe(0)
  })

  it('serves the token and expires only the token reported (compare-and-expire)', async () => {
    const { url, wechat } = await setup()
    const authorization = `Bearer ${SECRET}`
    const first = (await (await getToken(url, authorization)).json()) as { access_token: string; expires_in: number }
    expect(first.expires_in).toBe(7200)
    expect((await getToken(url, authorization, 'wx-unknown')).status).toBe(404)
    const invalidate = (accessToken: string) =>
      fetch(`${url}/v1/token/invalidate`, {
        method: 'POST',
        headers: { authorization },
        body: JSON.stringify({ appid: APP.appId, access_token: accessToken }),
      }).then((response) => response.json())
    expect(await invalidate(first.access_token)).toEqual({ expired: true })
    const second = (await (await getToken(url, authorization)).json()) as { access_token: string }
    expect(second.access_token).not.toBe(first.access_token)
    expect(await invalidate(first.access_token)).toEqual({ expired: false })
    expect(((await (await getToken(url, authorization)).json()) as { access_token: string }).access_token).toBe(second.access_token)
    expect(wechat.emulator.counters.tokensIssued).toBe(2)
  })

  it('works end to end with createRemoteTokenProvider: a refused token is reported and replaced once', async () => {
    const { url, wechat } = await setup()
    const provider = createRemoteTokenProvider({ url, secret: SECRET, appId: APP.appId, now: wechat.now })
    const first = await provider.getAccessToken()
    expect(await provider.getAccessToken()).toBe(first)
    wechat.emulator.revokeTokens(APP.appId)
    const used: string[] = []
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        provider.withAccessToken(async (accessToken) => {
          used.push(accessToken)
          return wechat.emulator.checkToken(accessToken)
        }),
      ),
    )
    expect(results.every((result) => result.errcode === 0)).toBe(true)
    expect(new Set(used).size).toBe(2)
    expect(wechat.emulator.counters.tokensIssued).toBe(2)
    const wrong = createRemoteTokenProvider({ url, secret: 'not-the-secret', appId: APP.appId })
    await expect(wrong.getAccessToken()).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })

  it('passes WeChat’s configuration errors on, typed', async () => {
    const wechat = await startEmulatedWeChat()
    const server = createTokenServer({ secret: SECRET, apps: [{ ...APP, appSecret: 'wrong-secret' }], apiBaseUrl: wechat.apiBaseUrl })
    servers.push(server)
    const { url } = await server.listen()
    const provider = createRemoteTokenProvider({ url, secret: SECRET, appId: APP.appId })
    const error = await provider.getAccessToken().catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'WECHAT_INVALID_SECRET', details: { errcode: 40125 } })
    expect(String(error)).not.toContain('wrong-secret')
  })

  it('refuses a short secret', () => {
    expect(() => createTokenServer({ secret: 'short', apps: [APP] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})

describe('runTokenServerCli', () => {
  it('starts on loopback from arguments and environment, and serves tokens', async () => {
    const wechat = await startEmulatedWeChat()
    const lines: string[] = []
    const server = await runTokenServerCli(['--port', '0', '--api-base-url', wechat.apiBaseUrl], {
      env: { PAGE_MODULE_TOKEN_SERVER_SECRET: SECRET, WECHAT_APPS: `${APP.appId}:${APP.appSecret}` },
      stdout: (line) => lines.push(line),
    })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(lines.join('\n')).not.toContain(APP.appSecret)
      expect((await getToken(server.url, `Bearer ${SECRET}`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('refuses to start without apps or with a bad store', async () => {
    await expect(runTokenServerCli([], { env: { PAGE_MODULE_TOKEN_SERVER_SECRET: SECRET } })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    })
    await expect(
      runTokenServerCli(['--store', 'mongo://x'], { env: { PAGE_MODULE_TOKEN_SERVER_SECRET: SECRET, WECHAT_APPS: 'wxa:s' } }),
    ).rejects.toThrow(/--store mongo/)
  })
})

describe('createTokenServer connections', () => {
  const sockets: Socket[] = []
  afterEach(() => sockets.splice(0).forEach((socket) => socket.destroy()))
  /** A client that connects and then sends nothing; `closed` turns true when the server closes it. */
  const idleClient = async (port: number) => {
    const socket = connect(port, '127.0.0.1')
    sockets.push(socket)
    const state = { closed: false }
    socket.on('close', () => (state.closed = true))
    socket.on('error', () => undefined)
    await new Promise((resolve) => socket.once('connect', resolve))
    return state
  }

  it('closes connections that stay idle, whether or not a request began', async () => {
    const server = createTokenServer({ secret: SECRET, apps: [APP], connections: { idleTimeoutMs: 200 } })
    servers.push(server)
    const { port } = await server.listen()
    const clients = await Promise.all(Array.from({ length: 20 }, () => idleClient(port)))
    const halfRequest = await idleClient(port)
    sockets.at(-1)!.write('GET /v1/token?appid=x HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await vi.waitFor(() => expect([...clients, halfRequest].every((client) => client.closed)).toBe(true), { timeout: 5000 })
  })

  it('refuses connections over maxConnections while serving the ones it holds', async () => {
    const server = createTokenServer({ secret: SECRET, apps: [APP], connections: { maxConnections: 5 } })
    servers.push(server)
    const { port, url } = await server.listen()
    const held = await Promise.all(Array.from({ length: 5 }, () => idleClient(port)))
    const extra = await idleClient(port)
    await vi.waitFor(() => expect(extra.closed).toBe(true))
    expect(held.some((client) => client.closed)).toBe(false)
    for (const socket of sockets.splice(0)) socket.destroy()
    await vi.waitFor(async () => expect((await getToken(url)).status).toBe(401))
  })
})
