import { authError } from '../auth-errors'

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo'

export interface AuthorizeUrlInput {
  readonly appId: string
  /** Where WeChat sends the browser back (`?code&state`); its domain must be the configured web-auth domain. */
  readonly redirectUri: string
  readonly scope: OAuthScope
  /** `[A-Za-z0-9]`, at most 128 characters. */
  readonly state?: string
  readonly forcePopup?: boolean
  /** Replaces `https://open.weixin.qq.com` (the local emulator). */
  readonly openBaseUrl?: string
}

export const WECHAT_OPEN_BASE_URL = 'https://open.weixin.qq.com'

/** Percent-encodes everything but `A-Za-z0-9_.-~`, as Python's `quote(value, safe='')` does. */
function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The Official Account authorize link with WeChat's parameters in WeChat's order (appid, redirect_uri,
 * response_type, scope, state) and the required `#wechat_redirect`: WeChat matches the link as text.
 */
export function authorizeUrl(input: AuthorizeUrlInput): string {
  if (typeof input.appId !== 'string' || input.appId === '')
    throw authError('INVALID_OPTIONS', 'appId is required (WeChat page error 10012).')
  let redirect: URL
  try {
    redirect = new URL(input.redirectUri)
  } catch {
    throw authError('INVALID_OPTIONS', 'redirectUri must be an absolute http(s) URL on the web-auth domain (WeChat page error 10011).')
  }
  if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') {
    throw authError('INVALID_OPTIONS', 'redirectUri must be an http(s) URL.')
  }
  if (input.scope !== 'snsapi_base' && input.scope !== 'snsapi_userinfo') {
    throw authError('INVALID_OPTIONS', `scope must be snsapi_base or snsapi_userinfo, got ${JSON.stringify(input.scope)}.`)
  }
  if (input.state !== undefined && !/^[A-Za-z0-9]{1,128}$/.test(input.state)) {
    throw authError('INVALID_OPTIONS', 'state must be 1–128 characters of [A-Za-z0-9].')
  }
  const parameters: Array<readonly [string, string]> = [
    ['appid', input.appId],
    ['redirect_uri', input.redirectUri],
    ['response_type', 'code'],
    ['scope', input.scope],
  ]
  if (input.state !== undefined) parameters.push(['state', input.state])
  if (input.forcePopup) parameters.push(['forcePopup', 'true'])
  const query = parameters.map(([name, value]) => `${name}=${encodeStrict(value)}`).join('&')
  const base = (input.openBaseUrl ?? WECHAT_OPEN_BASE_URL).replace(/\/+$/, '')
  return `${base}/connect/oauth2/authorize?${query}#wechat_redirect`
}
