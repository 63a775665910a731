import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PageModuleError } from '@page-module/core'
import { createAccessTokenManager, type AccessTokenManager, type AccessTokenManagerOptions } from '../tokens/access-token-manager'
import { readJsonBody } from './read-json-body'
import type { TokenStore } from '../tokens/token-store'

export interface TokenServerApp {
  readonly appId: string
  readonly appSecret: string
  readonly stable?: boolean
}

export interface TokenServerOptions extends Pick<
  AccessTokenManagerOptions,
  'apiBaseUrl' | 'fetch' | 'now' | 'refreshAheadSeconds' | 'lockTtlMs' | 'onBackgroundError'
> {
  /** Clients send `Authorization: Bearer <secret>`. At least 16 characters. */
  readonly secret: string
  readonly apps: readonly TokenServerApp[]
  /** Where the server keeps tokens; share it between several token servers for redundancy. Memory by default. */
  readonly store?: TokenStore
  /** Connection limits of `listen()`'s server. */
  readonly connections?: TokenServerConnectionLimits
}

/** What keeps idle or slow clients from holding the server's connections forever. */
export interface TokenServerConnectionLimits {
  /** A connection with no traffic for this long is closed, whether or not a request began. Default 30 000 ms. */
  readonly idleTimeoutMs?: number
  /** A request's headers must arrive within this. Default 10 000 ms. */
  readonly headersTimeoutMs?: number
  /** A whole request must arrive within this. Default 15 000 ms. */
  readonly requestTimeoutMs?: number
  /** An idle keep-alive connection is closed after this. Default 5 000 ms. */
  readonly keepAliveTimeoutMs?: number
  /** Connections served at once; more are refused (closed) at once. Default 1 024. */
  readonly maxConnections?: number
}

export interface TokenServer {
  /** A Node request handler for `/v1/token` and `/v1/token/invalidate`: resolves false for other routes. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>
  /** Listens on `host` (loopback by default) and resolves with the base URL. */
  listen(port?: number, host?: string): Promise<{ readonly url: string; readonly port: number }>
  /** Stops listening and stops every background refresh. */
  close(): Promise<void>
}

/**
 * The central control server: one place that fetches and refreshes the tokens of several appids, so services
 * in any language get a token with `GET /v1/token?appid=` and report a refused one with
 * `POST /v1/token/invalidate` (compare-and-expire), behind a bearer secret.
 */
export function createTokenServer(options: TokenServerOptions): TokenServer {
  if (typeof options.secret !== 'string' || options.secret.length < 16) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'the token server needs a secret of at least 16 characters (clients send it as a bearer token).',
      requestSent: false,
    })
  }
  const expected = digest(options.secret)
  const now = options.now ?? Date.now
  const { secret: _secret, apps, connections: limits = {}, ...managerOptions } = options
  const managers = new Map<string, AccessTokenManager>(
    apps.map((app) => [
      app.appId,
      // The managers share the store; whoever made it closes it.
      createAccessTokenManager({
        ...managerOptions,
        appId: app.appId,
        appSecret: app.appSecret,
        stable: app.stable ?? false,
        closeStore: false,
      }),
    ]),
  )
  let server: Server | undefined

  function authorized(request: IncomingMessage): boolean {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
    // Digests have one length, so the comparison takes the same time whatever was sent.
    return timingSafeEqual(digest(presented), expected)
  }

  async function route(request: IncomingMessage, url: URL): Promise<{ status: number; body: object }> {
    if (url.pathname === '/v1/token') {
      if (request.method !== 'GET') return failure(405, 'METHOD_NOT_ALLOWED', 'use GET /v1/token?appid=')
      const manager = managers.get(url.searchParams.get('appid') ?? '')
      if (manager === undefined) return failure(404, 'UNKNOWN_APPID', 'this token server does not manage that appid')
      const token = await manager.getToken()
      return {
        status: 200,
        body: { access_token: token.accessToken, expires_in: Math.max(0, Math.floor((token.expiresAt - now()) / 1000)) },
      }
    }
    if (request.method !== 'POST') return failure(405, 'METHOD_NOT_ALLOWED', 'use POST /v1/token/invalidate')
    const body = await readJsonBody(request, 64 * 1024)
    const { appid: appId, access_token: accessToken } = (body.ok ? body.value : {}) as { appid?: unknown; access_token?: unknown }
    if (typeof appId !== 'string' || typeof accessToken !== 'string')
      return failure(400, 'INVALID_REQUEST', 'send JSON { "appid": "...", "access_token": "..." }')
    const manager = managers.get(appId)
    if (manager === undefined) return failure(404, 'UNKNOWN_APPID', 'this token server does not manage that appid')
    return { status: 200, body: { expired: await manager.invalidate(accessToken) } }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? '/', 'http://token-server.invalid')
    if (url.pathname !== '/v1/token' && url.pathname !== '/v1/token/invalidate') return false
    let answer: { status: number; body: object }
    if (!authorized(request)) {
      answer = failure(401, 'UNAUTHORIZED', 'send Authorization: Bearer <the token server secret>')
      response.setHeader('www-authenticate', 'Bearer')
    } else {
      try {
        answer = await route(request, url)
      } catch (error) {
        const known = PageModuleError.isInstance(error)
        answer = failure(
          502,
          known ? error.code : 'TOKEN_SERVER_ERROR',
          known ? error.message : 'fetching the token failed',
          known ? error.details?.['errcode'] : undefined,
        )
      }
    }
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    response.end(JSON.stringify(answer.body))
    return true
  }

  return {
    handle,
    listen(port = 0, host = '127.0.0.1') {
      const listening = createServer((request, response) => {
        handle(request, response)
          .then((handled) => {
            if (!handled)
              response
                .writeHead(404, { 'content-type': 'application/json' })
                .end(JSON.stringify(failure(404, 'NOT_FOUND', 'routes: GET /v1/token, POST /v1/token/invalidate').body))
          })
          .catch(() => response.destroy())
      })
      listening.timeout = limits.idleTimeoutMs ?? 30_000
      listening.headersTimeout = limits.headersTimeoutMs ?? 10_000
      listening.requestTimeout = limits.requestTimeoutMs ?? 15_000
      listening.keepAliveTimeout = limits.keepAliveTimeoutMs ?? 5_000
      listening.maxConnections = limits.maxConnections ?? 1024
      server = listening
      return new Promise((resolve, reject) => {
        listening.once('error', reject)
        listening.listen(port, host, () => {
          const address = listening.address() as AddressInfo
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
          resolve({ url: `http://${shownHost}:${address.port}`, port: address.port })
        })
      })
    },
    async close() {
      for (const manager of managers.values()) await manager.close()
      const listening = server
      server = undefined
      if (listening !== undefined) {
        listening.closeAllConnections()
        await new Promise<void>((resolve) => listening.close(() => resolve()))
      }
    },
  }
}

function failure(
  status: number,
  code: string,
  message: string,
  errcode?: string | number | boolean | null,
): { status: number; body: object } {
  return { status, body: { error: { code, message, ...(errcode === undefined || errcode === null ? {} : { errcode }) } } }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
