import { PageModuleError } from '@page-module/core'
import type { WeChatClient } from '../../client/wechat-client'
import { authError } from '../auth-errors'
import { authorizeUrl, type OAuthScope } from './authorize-url'
import { createMemoryOAuthStateStore, randomState, type OAuthStateStore } from './oauth-state-store'
import { safeReturnTo } from './return-to'

export interface OfficialAccountOAuthOptions {
  /** A client of the Official Account (appId + appSecret): code exchange and refresh take the secret. */
  readonly client: WeChatClient
  /** Replaces `https://open.weixin.qq.com` for the authorize page (the local emulator). */
  readonly openBaseUrl?: string
  /** Default: in this process's memory (use a shared store behind several servers). */
  readonly stateStore?: OAuthStateStore
  /** Milliseconds a state stays valid. Default 10 minutes. */
  readonly stateTtlMs?: number
}

/** `sns/oauth2/access_token` and `refresh_token`, camelCased. The access_token here is the user's, not the app's. */
export interface OAuthTokens {
  readonly accessToken: string
  readonly expiresIn: number
  readonly refreshToken: string
  readonly openid: string
  readonly scope: string
  readonly unionid?: string
  readonly isSnapshotUser?: boolean
}

/** `sns/userinfo`. */
export interface OAuthUserInfo {
  readonly openid: string
  readonly nickname: string
  /** 0 unknown, 1 male, 2 female. */
  readonly sex: number
  readonly province: string
  readonly city: string
  readonly country: string
  readonly headimgurl: string
  readonly privilege: readonly string[]
  readonly unionid?: string
}

export interface OAuthCompletion {
  /** The same-origin path the browser started from. */
  readonly returnTo: string
  readonly tokens: OAuthTokens
  /** Present for `snsapi_userinfo`. */
  readonly user?: OAuthUserInfo
}

export interface OfficialAccountOAuth {
  /** The authorize link for a state you manage yourself. */
  authorizeUrl(input: { redirectUri: string; scope: OAuthScope; state?: string; forcePopup?: boolean }): string
  /**
   * Starts a login: keeps a fresh random state with `returnTo` server-side and gives the authorize link.
   * `returnTo` must be a same-origin relative path (`OAUTH_RETURN_TO_REFUSED` otherwise).
   */
  begin(input: { redirectUri: string; scope: OAuthScope; returnTo?: string }): Promise<{ url: string; state: string }>
  /**
   * Finishes a login at the callback: the state must be one `begin` issued, unexpired and unused
   * (`OAUTH_STATE_INVALID`); then the code is exchanged and, for `snsapi_userinfo`, the user's profile fetched.
   */
  complete(input: { code: string | null; state: string | null }): Promise<OAuthCompletion>
  exchangeCode(code: string): Promise<OAuthTokens>
  refresh(refreshToken: string): Promise<OAuthTokens>
  userInfo(input: { accessToken: string; openid: string; lang?: 'zh_CN' | 'zh_TW' | 'en' }): Promise<OAuthUserInfo>
  /** True when WeChat still accepts the user's access_token (`sns/auth`). */
  checkAccessToken(input: { accessToken: string; openid: string }): Promise<boolean>
}

const DEFAULT_STATE_TTL_MS = 10 * 60_000

/** Official Account web authorization (网页授权) with a server-side state and a checked return-to path. */
export function createOfficialAccountOAuth(options: OfficialAccountOAuthOptions): OfficialAccountOAuth {
  const { client } = options
  const stateStore = options.stateStore ?? createMemoryOAuthStateStore()
  const stateTtlMs = options.stateTtlMs ?? DEFAULT_STATE_TTL_MS

  const link: OfficialAccountOAuth['authorizeUrl'] = (input) =>
    authorizeUrl({ ...input, appId: client.appId, ...(options.openBaseUrl ? { openBaseUrl: options.openBaseUrl } : {}) })

  async function exchangeCode(code: string): Promise<OAuthTokens> {
    if (typeof code !== 'string' || code === '') throw authError('INVALID_OPTIONS', 'code is required: the callback got none.')
    const answer = await client.callWithoutToken({
      path: '/sns/oauth2/access_token',
      withAppSecret: true,
      query: { code, grant_type: 'authorization_code' },
      during: 'exchanging a web authorization code',
    })
    return tokensOf(answer)
  }

  async function userInfo({ accessToken, openid, lang = 'zh_CN' }: { accessToken: string; openid: string; lang?: string }) {
    const answer = await client.callWithoutToken<Record<string, unknown>>({
      path: '/sns/userinfo',
      query: { access_token: accessToken, openid, lang },
      secrets: [accessToken],
      during: 'fetching the user’s profile (sns/userinfo)',
    })
    return answer as unknown as OAuthUserInfo
  }

  return {
    authorizeUrl: link,
    async begin({ redirectUri, scope, returnTo = '/' }) {
      const target = safeReturnTo(returnTo)
      if (target === undefined) {
        throw authError('OAUTH_RETURN_TO_REFUSED', 'returnTo must be a path on this site (/…) — a link elsewhere is refused.')
      }
      const state = randomState()
      const url = link({ redirectUri, scope, state })
      await stateStore.put(state, { returnTo: target, scope }, stateTtlMs)
      return { url, state }
    },
    async complete({ code, state }) {
      const pending = typeof state === 'string' && /^[A-Za-z0-9]{1,128}$/.test(state) ? await stateStore.take(state) : undefined
      if (pending === undefined) {
        throw authError(
          'OAUTH_STATE_INVALID',
          'the state is unknown, used or expired (a forged or replayed callback) — start the login again.',
        )
      }
      if (typeof code !== 'string' || code === '') {
        throw authError('UNAUTHORIZED', 'the user declined the authorization (no code came back) — ask again or continue signed out.')
      }
      const tokens = await exchangeCode(code)
      const user =
        pending.scope === 'snsapi_userinfo' ? await userInfo({ accessToken: tokens.accessToken, openid: tokens.openid }) : undefined
      return { returnTo: pending.returnTo, tokens, ...(user ? { user } : {}) }
    },
    exchangeCode,
    async refresh(refreshToken) {
      const answer = await client.callWithoutToken({
        path: '/sns/oauth2/refresh_token',
        query: { appid: client.appId, grant_type: 'refresh_token', refresh_token: refreshToken },
        secrets: [refreshToken],
        during: 'refreshing a web authorization token',
      })
      return tokensOf(answer)
    },
    userInfo,
    async checkAccessToken({ accessToken, openid }) {
      try {
        await client.callWithoutToken({ path: '/sns/auth', query: { access_token: accessToken, openid }, secrets: [accessToken] })
        return true
      } catch (error) {
        if (PageModuleError.isInstance(error) && typeof error.details?.['errcode'] === 'number' && error.code !== 'WECHAT_SYSTEM_BUSY')
          return false
        throw error
      }
    },
  }
}

function tokensOf(answer: Record<string, unknown>): OAuthTokens {
  const { access_token, expires_in, refresh_token, openid, scope, unionid, is_snapshotuser } = answer
  if (typeof access_token !== 'string' || typeof openid !== 'string' || typeof refresh_token !== 'string') {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      message: 'WeChat answered a web authorization without a token — check apiBaseUrl.',
      requestSent: true,
    })
  }
  return {
    accessToken: access_token,
    expiresIn: typeof expires_in === 'number' ? expires_in : 7200,
    refreshToken: refresh_token,
    openid,
    scope: typeof scope === 'string' ? scope : '',
    ...(typeof unionid === 'string' ? { unionid } : {}),
    ...(is_snapshotuser === 1 ? { isSnapshotUser: true } : {}),
  }
}
