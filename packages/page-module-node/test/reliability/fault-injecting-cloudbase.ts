// A CloudBase `/admin` endpoint on 127.0.0.1 that verifies every request with the official signer, hands the
// envelope to a real module host, and breaks the exchange the way the fault chosen for that arrival says.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWithOfficialSigner } from '../official-signer'
import { faultOf, type FaultKind } from './fault-catalog'

export interface Arrival {
  /** `data.call` of the envelope: which call of the run this is. */
  readonly call: number
  /** 1 for the first attempt that reached the server, 2 for the first retry… */
  readonly number: number
  readonly requestId: string
  readonly idempotencyKey: string | undefined
  readonly fault: FaultKind
}

export interface FaultInjectingCloudBaseOptions {
  readonly credentials: { readonly secretId: string; readonly secretKey: string }
  /** The module's `main`: what the cloud function would run. */
  readonly host: (event: unknown) => Promise<unknown>
  readonly faultFor: (call: number, arrivalNumber: number) => FaultKind
}

export interface FaultInjectingCloudBase {
  readonly serviceUrl: string
  readonly arrivals: Arrival[]
  /** Requests whose signature the official signer did not accept (answered SIGN_PARAM_INVALID). */
  readonly unverified: number
  /** Open connections, as the server counts them. */
  connections(): Promise<number>
  close(): Promise<void>
}

const TRICKLE_PIECES = 6
const TRICKLE_GAP_MS = 15
const HTML_PAGE = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'

export async function startFaultInjectingCloudBase(options: FaultInjectingCloudBaseOptions): Promise<FaultInjectingCloudBase> {
  const arrivals: Arrival[] = []
  const arrivalsPerCall = new Map<number, number>()
  let unverified = 0
  let cloudRequests = 0

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const cloudRequestId = `fault-${++cloudRequests}`
      const message = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body }
      if (!verifyWithOfficialSigner(message, options.credentials).ok) {
        unverified += 1
        return send(
          response,
          200,
          'application/json',
          JSON.stringify({ code: 'SIGN_PARAM_INVALID', message: 'signature verification failed', requestId: cloudRequestId }),
        )
      }
      const envelope = JSON.parse(String((JSON.parse(body) as { request_data?: unknown }).request_data)) as {
        requestId: string
        idempotencyKey?: string
        data: { call: number }
      }
      const call = envelope.data.call
      const number = (arrivalsPerCall.get(call) ?? 0) + 1
      arrivalsPerCall.set(call, number)
      const fault = options.faultFor(call, number)
      arrivals.push({ call, number, requestId: envelope.requestId, idempotencyKey: envelope.idempotencyKey, fault })
      void answer(fault, envelope, response, cloudRequestId)
    })
  })

  async function answer(fault: FaultKind, envelope: unknown, response: http.ServerResponse, cloudRequestId: string): Promise<void> {
    if (fault === 'reset-while-running') {
      void options.host(envelope)
      return void response.socket?.destroy()
    }
    const moduleAnswer = faultOf(fault).runsHost ? await options.host(envelope) : undefined
    const success = JSON.stringify({ requestId: cloudRequestId, data: { response_data: JSON.stringify(moduleAnswer) } })
    switch (fault) {
      case 'ok':
        return send(response, 200, 'application/json', success)
      case 'ok-wrong-content-type':
        return send(response, 200, 'text/html; charset=utf-8', success)
      case 'slow-trickle':
        return trickle(response, success)
      case 'http-503-json':
        return send(
          response,
          503,
          'application/json',
          JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'upstream unavailable', requestId: cloudRequestId }),
        )
      case 'http-502-text':
        return send(response, 502, 'text/plain', 'Bad Gateway')
      case 'cloudbase-busy':
        return send(
          response,
          200,
          'application/json',
          JSON.stringify({ code: 'SYS_ERR', message: 'system busy, try again', requestId: cloudRequestId }),
        )
      case 'reset-before-answer':
        return void response.socket?.destroy()
      case 'reset-in-body':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(success) })
        response.write(success.slice(0, Math.floor(success.length / 2)))
        return void setImmediate(() => response.socket?.destroy())
      case 'truncated-json':
        return send(response, 200, 'application/json', success.slice(0, Math.floor(success.length / 2)))
      case 'html-page':
        return send(response, 200, 'text/html', HTML_PAGE)
      case 'endless-answer':
        return endless(response, success)
      case 'stall':
        return
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    serviceUrl: `http://127.0.0.1:${port}/admin`,
    arrivals,
    get unverified() {
      return unverified
    },
    connections: () => new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function send(response: http.ServerResponse, status: number, contentType: string, text: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

/** Repeats `text` until the client closes the connection, as fast as the client reads. */
function endless(response: http.ServerResponse, text: string): void {
  response.writeHead(200, { 'content-type': 'application/json' })
  const piece = Buffer.from(text.repeat(Math.ceil(16_384 / text.length)))
  const pump = () => {
    while (!response.destroyed && response.write(piece));
    if (!response.destroyed) response.once('drain', pump)
  }
  pump()
}

function trickle(response: http.ServerResponse, text: string): void {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  const size = Math.ceil(text.length / TRICKLE_PIECES)
  let offset = 0
  const timer = setInterval(() => {
    const piece = text.slice(offset, offset + size)
    offset += size
    if (offset >= text.length) {
      clearInterval(timer)
      response.end(piece)
    } else response.write(piece)
  }, TRICKLE_GAP_MS)
  response.on('close', () => clearInterval(timer))
}
