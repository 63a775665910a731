import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { PooledSocketTimeoutHttpAgent } from './pooled-socket-timeout'

describe('PooledSocketTimeoutHttpAgent', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

  it('keeps the timeout on sockets idle in the pool and lifts it while a socket carries a request', async () => {
    const server = http.createServer((_request, response) => response.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const agent = new PooledSocketTimeoutHttpAgent({ keepAlive: true, timeout: 4800 })
    cleanups.push(() => agent.destroy(), () => server.close())
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const get = () =>
      new Promise<{ reused: boolean; timeoutInUse: number | undefined }>((resolve, reject) => {
        const request = http.get(url, { agent }, (response) => {
          const timeoutInUse = (request.socket as Socket).timeout
          response.resume()
          response.on('end', () => resolve({ reused: request.reusedSocket, timeoutInUse }))
        })
        request.on('error', reject)
      })
    await get()
    await new Promise((resolve) => setImmediate(resolve))
    const [idle] = Object.values(agent.freeSockets).flat() as Socket[]
    expect(idle?.timeout).toBeGreaterThan(0)
    expect(idle?.timeout).toBeLessThanOrEqual(4800)
    expect(await get()).toEqual({ reused: true, timeoutInUse: 0 })
  })
})
