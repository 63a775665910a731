import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { exchangeHttp } from './http-exchange'

describe('exchangeHttp', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

  /** A loopback server; `closed` resolves when the answer's connection has closed. */
  const serve = async (answer: (response: http.ServerResponse) => void) => {
    let closed!: () => void
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve))
    const server = http.createServer((request, response) => {
      request.resume()
      response.on('close', closed)
      answer(response)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => {
      server.closeAllConnections()
      server.close()
    })
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`, connectionClosed }
  }
  const agents = () => {
    const pair = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) }
    cleanups.push(() => pair.http.destroy())
    return pair
  }
  const post = (url: string, maxResponseBytes?: number) =>
    // The transport always gives Host (it is signed); with a header list Node adds none.
    exchangeHttp({
      url,
      headerList: ['host', new URL(url).host],
      body: '{}',
      agents: agents(),
      signal: new AbortController().signal,
      maxResponseBytes,
    })

  it('fails an endless answer with RESPONSE_TOO_LARGE once it passes maxResponseBytes, and closes the connection', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x')
    const { url, connectionClosed } = await serve((response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump)
      }
      pump()
    })
    await expect(post(url, 1024 * 1024)).rejects.toMatchObject({
      name: 'PageModuleError',
      code: 'RESPONSE_TOO_LARGE',
      requestSent: true,
      retryable: false,
      details: { maxResponseBytes: 1024 * 1024 },
    })
    await connectionClosed
  })

  it('fails at once when content-length announces more than maxResponseBytes', async () => {
    const { url, connectionClosed } = await serve((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) })
      response.write('{"data":')
    })
    await expect(post(url, 6 * 1024 * 1024)).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      message: expect.stringContaining(`at least ${600 * 1024 * 1024} bytes`),
    })
    await connectionClosed
  })

  it('reads an answer up to the limit, and applies a 16 MiB default', async () => {
    const body = JSON.stringify({ data: { response_data: 'y'.repeat(1000) } })
    const { url } = await serve((response) => response.end(body))
    await expect(post(url, Buffer.byteLength(body))).resolves.toEqual({ status: 200, text: body })
    const big = await serve((response) => response.end(Buffer.alloc(16 * 1024 * 1024 + 1, 'z')))
    await expect(post(big.url)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE', details: { maxResponseBytes: 16 * 1024 * 1024 } })
  })
})
