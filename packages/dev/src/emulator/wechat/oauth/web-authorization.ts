import { createHash, randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { OAuthUserInfo } from '@page-module/wechat/auth'
import { readBody, sendJson } from '../../http-json'
import type { WeChatApiEmulator } from '../wechat-api-emulator'
import { weChatReply } from '../wechat-reply'
import { escapeHtml } from './escape-html'

/** The emulated WeChat user who opens authorize links: what `sns/userinfo` answers, but the per-app openid and privilege. */
export type EmulatedWebUser = Omit<OAuthUserInfo, 'openid' | 'privilege'>

export interface WebAuthorizationOptions {
  readonly now?: () => number
  /** Who consents on the authorize page. Default: 微信用户, no unionid. */
  readonly user?: Partial<EmulatedWebUser>
}

export interface WebAuthorization {
  /** The openid the emulated user has under `appId` (stable per app, as WeChat's). */
  openidOf(appId: string): string
}

const CODE_TTL_MS = 5 * 60_000
const ACCESS_TOKEN_TTL_MS = 7200_000
const REFRESH_TOKEN_TTL_MS = 30 * 86_400_000
const AUTHORIZE_PARAMETER_ORDER = ['appid', 'redirect_uri', 'response_type', 'scope', 'state']

interface Grant {
  readonly appId: string
  readonly openid: string
  readonly scope: string
  readonly expiresAt: number
  used?: boolean
}

/**
 * Official Account web authorization on the emulator: the authorize page at `/connect/oauth2/authorize` (the consent
 * the user gives, then a redirect with `code` and `state`), `sns/oauth2/access_token`, `sns/oauth2/refresh_token`,
 * `sns/userinfo` and `sns/auth`, with WeChat's error codes.
 */
export function mountWebAuthorization(wechat: WeChatApiEmulator, options: WebAuthorizationOptions = {}): WebAuthorization {
  const now = options.now ?? Date.now
  const user: EmulatedWebUser = { nickname: '微信用户', sex: 0, province: '', city: '', country: '', headimgurl: '', ...options.user }
  const consents = new Map<string, { appId: string; redirectUri: string; scope: string; state: string | undefined; expiresAt: number }>()
  const codes = new Map<string, Grant>()
  const accessTokens = new Map<string, Grant>()
  const refreshTokens = new Map<string, Grant>()
  const openidOf = (appId: string) => `o${createHash('sha256').update(`web-user\n${appId}`).digest('base64url').slice(0, 27)}`
  const mint = (grants: Map<string, Grant>, grant: Grant) => {
    for (const [key, old] of grants) if (old.expiresAt <= now()) grants.delete(key)
    const token = randomBytes(24).toString('base64url')
    grants.set(token, grant)
    return token
  }

  function redirectWith(response: ServerResponse, redirectUri: string, code: string | undefined, state: string | undefined) {
    const target = new URL(redirectUri)
    if (code !== undefined) target.searchParams.set('code', code)
    if (state !== undefined) target.searchParams.set('state', state)
    response.writeHead(302, { location: target.href, 'cache-control': 'no-store' }).end()
  }

  function grantCode(consent: { appId: string; redirectUri: string; scope: string; state: string | undefined }, response: ServerResponse) {
    const code = mint(codes, {
      appId: consent.appId,
      openid: openidOf(consent.appId),
      scope: consent.scope,
      expiresAt: now() + CODE_TTL_MS,
    })
    redirectWith(response, consent.redirectUri, code, consent.state)
  }

  wechat.serveOpen('/connect/oauth2/authorize', async (_request, response, url) => {
    const parameter = (name: string) => url.searchParams.get(name) ?? ''
    const names = [...url.searchParams.keys()].filter((name) => AUTHORIZE_PARAMETER_ORDER.includes(name))
    const expected = AUTHORIZE_PARAMETER_ORDER.filter((name) => url.searchParams.has(name))
    const error = (): [number, string] | undefined => {
      if (parameter('appid') === '') return [10012, 'appid 参数错误']
      if (wechat.appOf(parameter('appid')) === undefined) return [10016, '不支持的 appid']
      if (parameter('redirect_uri') === '') return [10011, 'redirect_uri 参数错误']
      if (!isHttpUrl(parameter('redirect_uri'))) return [10003, 'redirect_uri 域名与后台配置不一致']
      if (parameter('scope') === '') return [10010, 'scope 为空']
      if (parameter('scope') !== 'snsapi_base' && parameter('scope') !== 'snsapi_userinfo')
        return [10005, '此公众号并没有这些 scope 的权限']
      if (parameter('response_type') !== 'code') return [10001, 'response_type 参数错误']
      if (url.searchParams.has('state') && !/^[A-Za-z0-9]{1,128}$/.test(parameter('state'))) return [10013, 'state 参数错误']
      if (names.join() !== expected.join()) return [10001, '参数顺序错误：须为 appid, redirect_uri, response_type, scope, state']
      return undefined
    }
    const refused = error()
    if (refused) {
      const error = `<p id="error" data-code="${refused[0]}">${escapeHtml(`${refused[0]} ${refused[1]}`)}</p>`
      sendHtml(response, 400, page('授权失败', error))
      return
    }
    const consent = {
      appId: parameter('appid'),
      redirectUri: parameter('redirect_uri'),
      scope: parameter('scope'),
      state: url.searchParams.has('state') ? parameter('state') : undefined,
    }
    // snsapi_base is silent: WeChat redirects at once.
    if (consent.scope === 'snsapi_base') return grantCode(consent, response)
    const id = randomBytes(18).toString('base64url')
    consents.set(id, { ...consent, expiresAt: now() + CODE_TTL_MS })
    const body =
      `<p>${escapeHtml(`公众号 ${consent.appId} 申请获得你的昵称、头像`)}</p>` +
      `<p id="user">${escapeHtml(user.nickname)}</p>` +
      `<form method="post" action="/connect/oauth2/authorize/consent">` +
      `<input type="hidden" name="consent" value="${escapeHtml(id)}">` +
      `<button id="allow" name="decision" value="allow">允许</button>` +
      `<button id="deny" name="decision" value="deny">拒绝</button></form>`
    sendHtml(response, 200, page('微信授权', body))
  })

  wechat.serveOpen('/connect/oauth2/authorize/consent', async (request, response) => {
    const form = new URLSearchParams(request.method === 'POST' ? await readBody(request) : '')
    const id = form.get('consent') ?? ''
    const consent = consents.get(id)
    consents.delete(id)
    if (consent === undefined || consent.expiresAt <= now()) {
      sendHtml(response, 400, page('授权失败', '<p id="error">授权页已过期，请重新进入</p>'))
      return
    }
    if (form.get('decision') === 'allow') grantCode(consent, response)
    else redirectWith(response, consent.redirectUri, undefined, consent.state)
  })

  function tokensFor(grant: Grant, withUnionid: boolean) {
    const base = { appId: grant.appId, openid: grant.openid, scope: grant.scope }
    return {
      access_token: mint(accessTokens, { ...base, expiresAt: now() + ACCESS_TOKEN_TTL_MS }),
      expires_in: ACCESS_TOKEN_TTL_MS / 1000,
      refresh_token: mint(refreshTokens, { ...base, expiresAt: now() + REFRESH_TOKEN_TTL_MS }),
      openid: grant.openid,
      scope: grant.scope,
      ...(withUnionid && grant.scope === 'snsapi_userinfo' && user.unionid ? { unionid: user.unionid } : {}),
    }
  }

  const json = (answer: (url: URL) => object) => async (_request: unknown, response: ServerResponse, url: URL) =>
    sendJson(response, 200, answer(url))

  wechat.serveOpen(
    '/sns/oauth2/access_token',
    json((url) => {
      const parameter = (name: string) => url.searchParams.get(name) ?? ''
      const app = wechat.appOf(parameter('appid'))
      if (app === undefined) return weChatReply(40013, 'invalid appid')
      if (parameter('secret') !== app.appSecret) return weChatReply(40125, 'invalid appsecret')
      if (parameter('grant_type') !== 'authorization_code') return weChatReply(40002, 'invalid grant_type')
      const grant = codes.get(parameter('code'))
      if (grant === undefined || grant.appId !== app.appId) return weChatReply(40029, 'invalid code')
      if (grant.used) return weChatReply(40163, 'code been used')
      if (grant.expiresAt <= now()) return weChatReply(42003, 'code expired')
      grant.used = true
      return tokensFor(grant, true)
    }),
  )

  wechat.serveOpen(
    '/sns/oauth2/refresh_token',
    json((url) => {
      const parameter = (name: string) => url.searchParams.get(name) ?? ''
      if (wechat.appOf(parameter('appid')) === undefined) return weChatReply(40013, 'invalid appid')
      if (parameter('grant_type') !== 'refresh_token') return weChatReply(40002, 'invalid grant_type')
      const grant = refreshTokens.get(parameter('refresh_token'))
      if (grant === undefined || grant.appId !== parameter('appid')) return weChatReply(40030, 'invalid refresh_token')
      if (grant.expiresAt <= now()) return weChatReply(42002, 'refresh_token timeout')
      const { refresh_token: _fresh, ...answer } = tokensFor(grant, false)
      return { ...answer, refresh_token: parameter('refresh_token') }
    }),
  )

  function checkUserToken(url: URL): Grant | object {
    const grant = accessTokens.get(url.searchParams.get('access_token') ?? '')
    if (grant === undefined) return weChatReply(40001, 'invalid credential, access_token is invalid or not latest')
    if (grant.expiresAt <= now()) return weChatReply(42001, 'access_token expired')
    if (grant.openid !== url.searchParams.get('openid')) return weChatReply(40003, 'invalid openid')
    return grant
  }

  wechat.serveOpen(
    '/sns/userinfo',
    json((url) => {
      const grant = checkUserToken(url)
      if (!('scope' in grant)) return grant
      if (grant.scope !== 'snsapi_userinfo') return weChatReply(48001, 'api unauthorized')
      const { unionid, ...profile } = user
      return { openid: grant.openid, ...profile, privilege: [], ...(unionid ? { unionid } : {}) }
    }),
  )

  wechat.serveOpen(
    '/sns/auth',
    json((url) => {
      const grant = checkUserToken(url)
      return 'scope' in grant ? { errcode: 0, errmsg: 'ok' } : grant
    }),
  )

  return { openidOf }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  )
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html)
}
