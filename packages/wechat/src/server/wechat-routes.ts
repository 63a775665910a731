import { PageModuleError } from '@page-module/core'
import type { WeChatClient } from '../client/wechat-client'
import { code2Session } from '../auth/code-to-session'
import { decryptUserData } from '../auth/decrypt-user-data'
import { verifyRawData } from '../auth/raw-data-signature'
import type { OAuthScope } from '../auth/oauth/authorize-url'
import type { OfficialAccountOAuth } from '../auth/oauth/official-account-oauth'
import type { WeChatSession, WeChatSessions } from '../auth/wechat-sessions'
import type { RequestHandler } from './node-adapter'

export const DEFAULT_ROUTE_PREFIX = '/boilerplate/wechat/api/v1'

export interface WeChatRoutesOptions {
  /** Default `/boilerplate/wechat/api/v1`. */
  readonly prefix?: string
  readonly sessions: WeChatSessions
  /** Mini-program login: `POST` and `PUT …/wechat-miniapp/user`. */
  readonly miniProgram?: {
    /** The mini-program's client (appId + appSecret). */
    readonly client: WeChatClient
    /** Called with the decrypted profile after an authorized `PUT` (save it in your database). */
    readonly onProfile?: (session: WeChatSession, profile: Record<string, unknown>) => void | Promise<void>
  }
  /** Official Account web authorization: `…/wechat-mp/authorize` and `…/wechat-mp/callback`. */
  readonly officialAccount?: {
    readonly oauth: OfficialAccountOAuth
    /** Default `snsapi_userinfo`. */
    readonly scope?: OAuthScope
    /** This server's public origin for the callback URL (`https://app.example`). Default: the request's origin. */
    readonly publicUrl?: string
    /** Sets the session cookie `Secure` (default: when publicUrl is https). */
    readonly secureCookie?: boolean
  }
  /** The message-push gateway (`createPushGateway`) at `…/wechat-mp/gateway`. */
  readonly gateway?: RequestHandler
}

/**
 * The seed server's routes under a prefix: mini-program login (`POST …/wechat-miniapp/user` → the server's token,
 * `PUT` with `iv` + `encrypted_data` behind `authorization: wechat <token>`, `GET` the signed-in user), Official
 * Account login (`GET …/wechat-mp/authorize?return_to=/path` → WeChat → `…/wechat-mp/callback` → back to the path,
 * signed in by cookie) and `…/wechat-mp/gateway`. Unknown paths answer 404.
 */
export function createWeChatRoutes(options: WeChatRoutesOptions): RequestHandler {
  const prefix = (options.prefix ?? DEFAULT_ROUTE_PREFIX).replace(/\/+$/, '')
  const { sessions } = options

  async function route(request: Request, path: string): Promise<Response> {
    const { miniProgram, officialAccount, gateway } = options
    if (path === '/wechat-miniapp/user' && miniProgram) {
      if (request.method === 'POST') {
        const body = await jsonBody(request)
        const login = await code2Session(miniProgram.client, { code: stringField(body, 'code') })
        const issued = await sessions.issue({
          openid: login.openid,
          ...(login.unionid ? { unionid: login.unionid } : {}),
          sessionKey: login.sessionKey,
          via: 'mini-program',
        })
        return json(200, { token: issued.token, expires_at: issued.expiresAt, user: { openid: login.openid } })
      }
      if (request.method === 'PUT') {
        const session = await sessions.authorize(request)
        if (!session.sessionKey) throw badRequest('this session has no session_key (not a mini-program login)')
        const body = await jsonBody(request)
        if (typeof body['raw_data'] === 'string' && typeof body['signature'] === 'string') {
          const signed = verifyRawData({ rawData: body['raw_data'], signature: body['signature'], sessionKey: session.sessionKey })
          if (!signed) throw new PageModuleError({ code: 'WECHAT_SIGNATURE_MISMATCH', message: 'raw_data does not match its signature.' })
        }
        const { watermark: _watermark, ...profile } = decryptUserData({
          appId: miniProgram.client.appId,
          sessionKey: session.sessionKey,
          encryptedData: stringField(body, 'encrypted_data'),
          iv: stringField(body, 'iv'),
        })
        const updated = await sessions.update(session, { profile })
        await miniProgram.onProfile?.(updated, profile)
        return json(200, { user: publicUser(updated) })
      }
      if (request.method === 'GET') return json(200, { user: publicUser(await sessions.authorize(request)) })
      return json(405, { code: 'METHOD_NOT_ALLOWED', message: 'use POST (login), PUT (update) or GET.' })
    }
    if (path === '/wechat-mp/authorize' && officialAccount && request.method === 'GET') {
      const url = new URL(request.url)
      const base = (officialAccount.publicUrl ?? url.origin).replace(/\/+$/, '')
      const { url: location } = await officialAccount.oauth.begin({
        redirectUri: `${base}${prefix}/wechat-mp/callback`,
        scope: officialAccount.scope ?? 'snsapi_userinfo',
        returnTo: url.searchParams.get('return_to') ?? '/',
      })
      return redirect(location)
    }
    if (path === '/wechat-mp/callback' && officialAccount && request.method === 'GET') {
      const url = new URL(request.url)
      const done = await officialAccount.oauth.complete({ code: url.searchParams.get('code'), state: url.searchParams.get('state') })
      const issued = await sessions.issue({
        openid: done.tokens.openid,
        ...(done.tokens.unionid ? { unionid: done.tokens.unionid } : {}),
        via: 'official-account',
        ...(done.user ? { profile: { ...done.user } } : {}),
      })
      const secure = officialAccount.secureCookie ?? (officialAccount.publicUrl ?? url.origin).startsWith('https:')
      const maxAge = Math.max(0, issued.expiresAt - Math.floor(Date.now() / 1000))
      const cookie = `${sessions.cookieName}=${issued.token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`
      return redirect(done.returnTo, { 'set-cookie': cookie })
    }
    if (path === '/wechat-mp/gateway' && gateway) return gateway(request)
    return json(404, { code: 'NOT_FOUND', message: `no route ${request.method} ${prefix}${path}` })
  }

  return async (request) => {
    const pathname = new URL(request.url).pathname
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) {
      return json(404, { code: 'NOT_FOUND', message: `only ${prefix}/… is served here` })
    }
    try {
      return await route(request, pathname.slice(prefix.length))
    } catch (error) {
      if (!PageModuleError.isInstance(error)) throw error
      return json(statusOf(error.code), { code: error.code, message: error.message })
    }
  }
}

const STATUS: Readonly<Record<string, number>> = {
  UNAUTHORIZED: 401,
  OAUTH_STATE_INVALID: 403,
  OAUTH_RETURN_TO_REFUSED: 400,
  INVALID_OPTIONS: 400,
  WECHAT_DECRYPT_FAILED: 400,
  WECHAT_WATERMARK_MISMATCH: 400,
  WECHAT_SIGNATURE_MISMATCH: 400,
  WECHAT_INVALID_CODE: 400,
  WECHAT_CODE_USED: 400,
  WECHAT_CODE_EXPIRED: 400,
  WECHAT_USER_BLOCKED: 403,
  WECHAT_RATE_LIMITED: 429,
}

function statusOf(code: string): number {
  return STATUS[code] ?? 502
}

function publicUser(session: WeChatSession): Record<string, unknown> {
  return { openid: session.openid, ...(session.unionid ? { unionid: session.unionid } : {}), via: session.via, ...session.profile }
}

function badRequest(why: string): PageModuleError {
  return new PageModuleError({ code: 'INVALID_OPTIONS', message: `${why}.`, requestSent: false })
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const value: unknown = await request.json().catch(() => undefined)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('the body must be a JSON object')
  return value as Record<string, unknown>
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (typeof value !== 'string' || value === '') throw badRequest(`${name} is required`)
  return value
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })
}

function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store', ...headers } })
}
