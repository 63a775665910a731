import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { closeIdleSockets } from './idle-socket-sweep'

describe('closeIdleSockets', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

  const serve = async (keepAliveHint?: string) => {
    const server = http.createServer((_request, response) => {
      if (keepAliveHint !== undefined) response.setHeader('keep-alive', keepAliveHint)
      response.end('ok')
    })
    // Longer than any wait below, so a socket closed in a test was closed by the client.
    server.keepAliveTimeout = 30_000
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => server.close())
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  }
  const get = (url: string, agent: http.Agent) =>
    new Promise<{ socket: Socket; reused: boolean }>((resolve, reject) => {
      const request = http.get(url, { agent }, (response) => {
        response.resume()
        // The socket returns to the pool after 'end', on the agent's 'free'.
        response.on('end', () => setImmediate(() => resolve({ socket: request.socket as Socket, reused: request.reusedSocket })))
      })
      request.on('error', reject)
    })
  const pooled = (agent: http.Agent) => Object.values(agent.freeSockets).flat()

  it('keeps a socket for reuse, closes it once it has waited idleMs in the pool, and sweeps again for the next', async () => {
    const url = await serve()
    const agent = closeIdleSockets(new http.Agent({ keepAlive: true }), { idleMs: 1000, sweepMs: 20 })
    cleanups.push(() => agent.destroy())
    const first = await get(url, agent)
    expect(pooled(agent)).toEqual([first.socket])
    const second = await get(url, agent)
    expect(second).toEqual({ socket: first.socket, reused: true })
    await expect.poll(() => first.socket.destroyed, { timeout: 5000, interval: 20 }).toBe(true)
    await expect.poll(() => pooled(agent), { timeout: 1000, interval: 20 }).toEqual([])
    const third = await get(url, agent)
    expect(third.reused).toBe(false)
    expect(pooled(agent)).toEqual([third.socket])
    await expect.poll(() => third.socket.destroyed, { timeout: 5000, interval: 20 }).toBe(true)
  })

  it("lets Node refuse a socket the server's Keep-Alive hint says is about to close", async () => {
    const url = await serve('timeout=1')
    const agent = closeIdleSockets(new http.Agent({ keepAlive: true }), { idleMs: 4300, sweepMs: 500 })
    cleanups.push(() => agent.destroy())
    const { socket } = await get(url, agent)
    expect(pooled(agent)).toEqual([])
    await expect.poll(() => socket.destroyed, { timeout: 1000, interval: 20 }).toBe(true)
  })

  it("closes a socket a second before the server's longer Keep-Alive hint runs out, when that comes before idleMs", async () => {
    const url = await serve('timeout=2')
    const agent = closeIdleSockets(new http.Agent({ keepAlive: true }), { idleMs: 60_000, sweepMs: 20 })
    cleanups.push(() => agent.destroy())
    const { socket } = await get(url, agent)
    expect(pooled(agent)).toEqual([socket])
    await expect.poll(() => socket.destroyed, { timeout: 5000, interval: 20 }).toBe(true)
  })

  it('closes the pooled sockets when the agent is destroyed', async () => {
    const url = await serve()
    const agent = closeIdleSockets(new http.Agent({ keepAlive: true }), { idleMs: 60_000, sweepMs: 60_000 })
    const { socket } = await get(url, agent)
    agent.destroy()
    await expect.poll(() => socket.destroyed, { timeout: 1000, interval: 20 }).toBe(true)
  })
})
