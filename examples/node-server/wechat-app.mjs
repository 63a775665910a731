// The seed's WeChat server as one Web-standard handler: mini-program login, Official Account login, the push
// gateway, and an /account page that shows who is signed in. server.mjs, express.mjs and koa.mjs mount it.
import { createOfficialAccountOAuth, createWeChatSessions } from '@page-module/wechat/auth'
import { createPushGateway } from '@page-module/wechat/push'
import { createWeChatRoutes, DEFAULT_ROUTE_PREFIX } from '@page-module/wechat/server'
import { createWeChatClient } from '@page-module/wechat'

/**
 * @param {{
 *   miniProgram: { appId: string, appSecret: string },
 *   officialAccount: { appId: string, appSecret: string },
 *   sessionSecret: string,
 *   push: { token: string, encodingAesKey?: string },
 *   apiBaseUrl?: string,
 *   openBaseUrl?: string,
 *   publicUrl?: string,
 * }} config
 */
export function createWeChatApp(config) {
  const endpoints = config.apiBaseUrl ? { apiBaseUrl: config.apiBaseUrl } : {}
  const sessions = createWeChatSessions({ secret: config.sessionSecret })
  const officialAccount = createWeChatClient({ ...config.officialAccount, ...endpoints })
  const routes = createWeChatRoutes({
    prefix: DEFAULT_ROUTE_PREFIX,
    sessions,
    miniProgram: { client: createWeChatClient({ ...config.miniProgram, ...endpoints }) },
    officialAccount: {
      oauth: createOfficialAccountOAuth({ client: officialAccount, ...(config.openBaseUrl ? { openBaseUrl: config.openBaseUrl } : {}) }),
      scope: 'snsapi_userinfo',
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    },
    gateway: createPushGateway({
      token: config.push.token,
      appId: config.officialAccount.appId,
      ...(config.push.encodingAesKey ? { encodingAesKey: config.push.encodingAesKey } : {}),
      onMessage(message) {
        if (message.MsgType === 'text') return { type: 'text', content: `收到：${message.Content}` }
        if (message.MsgType === 'event' && message.Event === 'subscribe') return { type: 'text', content: '欢迎关注' }
        return undefined
      },
    }),
  })

  return async function handle(request) {
    const url = new URL(request.url)
    if (url.pathname === '/' || url.pathname === '/account') return accountPage(await sessions.authorize(request).catch(() => undefined))
    return routes(request)
  }
}

function accountPage(session) {
  const signIn = `${DEFAULT_ROUTE_PREFIX}/wechat-mp/authorize?return_to=${encodeURIComponent('/account')}`
  const body = session
    ? `<p id="who">已登录：${escapeHtml(String(session.profile?.nickname ?? session.openid))}</p>` +
      `<p id="openid">${escapeHtml(session.openid)}</p>`
    : `<p id="who">未登录</p><a id="sign-in" href="${escapeHtml(signIn)}">微信登录</a>`
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>账户</title></head>` + `<body><h1>账户</h1>${body}</body></html>`
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } })
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}
