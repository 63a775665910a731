import { afterEach, describe, expect, it } from 'vitest'
import { freePort, serve, type Served } from '../../test/loopback'
import { requestAndRead } from './request-json'

const running: Served[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

/** A loopback server that records each request's method, headers and body. */
async function recordingServer(answer: (body: Buffer) => { status: number; body: string }) {
  const seen: Array<{ method: string; headers: Record<string, unknown>; body: Buffer }> = []
  const server = await serve(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk)
    const body = Buffer.concat(chunks)
    seen.push({ method: request.method ?? '', headers: request.headers, body })
    const { status, body: text } = answer(body)
    response.writeHead(status, { 'content-type': 'application/xml' }).end(text)
    return true
  })
  running.push(server)
  return { url: server.url, seen }
}

const base = { method: 'POST', timeoutMs: 5000, fetch: globalThis.fetch, endpoint: 'the test endpoint' } as const

describe('requestAndRead (the request primitive under requestJson, extended for storage)', () => {
  it('streams a ReadableStream body with the caller’s content-type, and lets the caller read any status', async () => {
    const { url, seen } = await recordingServer((body) => ({ status: 403, body: `<Error><Code>X</Code>${body.length}</Error>` }))
    const parts = ['first ', 'second ', 'third']
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift()
        if (next === undefined) controller.close()
        else controller.enqueue(new TextEncoder().encode(next))
      },
    })
    const answer = await requestAndRead(
      { ...base, url, body, headers: { 'content-type': 'multipart/form-data; boundary=b' } },
      () => true,
      async (response) => ({ status: response.status, text: await response.text() }),
    )
    expect(answer).toEqual({ status: 403, text: '<Error><Code>X</Code>18</Error>' })
    expect(seen[0]!.body.toString()).toBe('first second third')
    expect(seen[0]!.headers['content-type']).toBe('multipart/form-data; boundary=b')
    // Sent as it was read: no length known up front.
    expect(seen[0]!.headers['transfer-encoding']).toBe('chunked')
  })

  it('maps statuses it does not accept, and network failures, as requestJson does, without the URL', async () => {
    const { url } = await recordingServer(() => ({ status: 500, body: 'oops' }))
    await expect(
      requestAndRead(
        { ...base, url: `${url}?secret=s3cr3t` },
        (status) => status === 200,
        async () => 'read',
      ),
    ).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      retryable: true,
      details: { status: 500 },
    })
    const closedPort = await freePort()
    const failure = await requestAndRead(
      { ...base, url: `http://127.0.0.1:${closedPort}/?secret=s3cr3t` },
      () => true,
      async () => 'read',
    ).catch((error: Error) => error)
    expect(failure).toMatchObject({ code: 'NETWORK', requestSent: false })
    expect(String((failure as Error).message)).not.toContain('s3cr3t')
  })
})
