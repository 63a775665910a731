import { PageModuleError, type AbortSignalLike } from '@page-module/core'
import type { WeChatClient } from '../client/wechat-client'
import type { WeChatAuthErrorCode } from './auth-errors'
import { authError } from './auth-errors'

/** What `sns/jscode2session` gives for a login code. Keep `sessionKey` on the server: it decrypts the user's data. */
export interface MiniProgramSession {
  readonly openid: string
  readonly sessionKey: string
  readonly unionid?: string
}

const CODE_ERRORS: ReadonlyMap<number, { code: WeChatAuthErrorCode; advice: string; retryable?: boolean }> = new Map([
  [
    40029,
    { code: 'WECHAT_INVALID_CODE', advice: 'the code is unknown or expired (5 minutes): call wx.login() again and send the new code.' },
  ],
  [40163, { code: 'WECHAT_CODE_USED', advice: 'a code is accepted once: call wx.login() again for a new one.' }],
  [45011, { code: 'WECHAT_RATE_LIMITED', advice: 'at most 100 logins per user per minute: wait a minute.', retryable: true }],
  [40226, { code: 'WECHAT_USER_BLOCKED', advice: 'WeChat blocked this high-risk user from logging in; do not retry.' }],
])

/**
 * Exchanges a mini-program login code (`wx.login()`) for the user's openid and session_key, through the WeChat
 * client (appid + secret, no access_token). WeChat's errors become typed `PageModuleError`s: `WECHAT_INVALID_CODE`
 * (40029), `WECHAT_CODE_USED` (40163), `WECHAT_RATE_LIMITED` (45011), `WECHAT_USER_BLOCKED` (40226),
 * `WECHAT_SYSTEM_BUSY` (-1, retryable).
 */
export async function code2Session(
  client: WeChatClient,
  { code, signal }: { code: string; signal?: AbortSignalLike },
): Promise<MiniProgramSession> {
  if (typeof code !== 'string' || code.trim() === '') {
    throw authError('INVALID_OPTIONS', 'code must be the non-empty string wx.login() gave — send it from the mini-program.')
  }
  let answer: { openid?: unknown; session_key?: unknown; unionid?: unknown }
  try {
    answer = await client.callWithoutToken({
      path: '/sns/jscode2session',
      withAppSecret: true,
      query: { js_code: code, grant_type: 'authorization_code' },
      during: 'exchanging a login code (code2Session)',
      ...(signal ? { signal } : {}),
    })
  } catch (error) {
    const errcode = PageModuleError.isInstance(error) ? error.details?.['errcode'] : undefined
    const typed = typeof errcode === 'number' ? CODE_ERRORS.get(errcode) : undefined
    if (!typed || !PageModuleError.isInstance(error)) throw error
    throw new PageModuleError({
      code: typed.code,
      message: `${error.message.split(' — ')[0]} — ${typed.advice}`,
      retryable: typed.retryable ?? false,
      requestSent: true,
      ...(error.details ? { details: error.details } : {}),
    })
  }
  if (typeof answer.openid !== 'string' || typeof answer.session_key !== 'string') {
    throw new PageModuleError({
      code: 'BAD_RESPONSE',
      message: 'WeChat /sns/jscode2session answered without openid or session_key — check apiBaseUrl.',
      requestSent: true,
    })
  }
  return {
    openid: answer.openid,
    sessionKey: answer.session_key,
    ...(typeof answer.unionid === 'string' ? { unionid: answer.unionid } : {}),
  }
}
