import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface Served {
  readonly url: string
  close(): Promise<void>
}

/** Serves a `(request, response) => Promise<boolean>` handler on a free loopback port (404 when it declines). */
export async function serve(handler: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>): Promise<Served> {
  const server = createServer((request, response) => {
    handler(request, response)
      .then((handled) => {
        if (!handled) response.writeHead(404).end()
      })
      .catch((error: unknown) => {
        response.writeHead(500).end(String(error))
      })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
