/** What `wx-server-sdk`'s `getWXContext()` returns: `OPENID`, `APPID`, `UNIONID`, `CLIENTIP`, `ENV`, `SOURCE`… */
export type WxContext = Readonly<Record<string, string | number>>

/** Who called the module: a mini-program user (identified by WeChat) or a server holding the env's keys. */
export type Caller =
  | { readonly type: 'wechat-user'; readonly openid: string; readonly appid?: string; readonly unionid?: string }
  | { readonly type: 'server' }

export type Environment = Readonly<Record<string, string | undefined>>

const HIDDEN_KEYS = new Set(['API_TOKEN', 'WX_API_TOKEN', 'TRIGGER_API_TOKEN_V0', 'WX_TRIGGER_API_TOKEN_V0'])

/**
 * The caller's WeChat context, derived exactly as `wx-server-sdk` 4.x `getWXContext()` does: only the
 * keys listed in `WX_CONTEXT_KEYS`, API tokens left out, the `WX_` prefix stripped, integers parsed, then
 * `ENV` (`TCB_ENV`, else `SCF_NAMESPACE`) and `SOURCE` (`TCB_SOURCE`).
 */
export function readWxContext(environment: Environment): WxContext {
  const listed = environment.WX_CONTEXT_KEYS
  if (!listed) return {}
  const context: Record<string, string | number> = {}
  for (const key of listed.split(',')) {
    const value = environment[key]
    if (HIDDEN_KEYS.has(key) || value === undefined) continue
    context[key.replace(/^WX_/, '')] = /^-?\d+$/.test(value) ? Number.parseInt(value, 10) : value
  }
  const env = environment.TCB_ENV || environment.SCF_NAMESPACE
  if (env) context.ENV = env
  if (environment.TCB_SOURCE) context.SOURCE = environment.TCB_SOURCE
  return context
}

/**
 * A call that carries an `OPENID` came from a mini-program user (WeChat vouches for it); any other call
 * came through the signed CloudBase API, i.e. from a server holding the environment's keys.
 */
export function callerOf(wxContext: WxContext): Caller {
  const openid = wxContext.OPENID
  if (typeof openid !== 'string' || openid === '') return { type: 'server' }
  const caller: { type: 'wechat-user'; openid: string; appid?: string; unionid?: string } = { type: 'wechat-user', openid }
  if (typeof wxContext.APPID === 'string' && wxContext.APPID !== '') caller.appid = wxContext.APPID
  if (typeof wxContext.UNIONID === 'string' && wxContext.UNIONID !== '') caller.unionid = wxContext.UNIONID
  return caller
}
