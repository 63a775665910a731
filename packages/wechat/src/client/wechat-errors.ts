import { PageModuleError, redactSecrets, type ErrorDetails } from '@page-module/core'

/** The codes this package adds to core's open `PageModuleErrorCode` union. */
export type WeChatErrorCode =
  | 'WECHAT_INVALID_APPID'
  | 'WECHAT_INVALID_SECRET'
  | 'WECHAT_IP_NOT_WHITELISTED'
  | 'WECHAT_QUOTA_EXCEEDED'
  | 'WECHAT_INVALID_TOKEN'
  | 'WECHAT_SYSTEM_BUSY'
  | 'WECHAT_API_ERROR'
  | 'WECHAT_TOKEN_LOCK_TIMEOUT'
  | 'TOKEN_SERVER_ERROR'

/** errcodes that mean "this access_token is not (or no longer) valid": invalidate it and retry once. */
export const ACCESS_TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])

/** A WeChat reply that carries an error: `{ errcode, errmsg }` with `errcode !== 0`. */
export interface WeChatErrorReply {
  readonly errcode: number
  readonly errmsg?: string | undefined
}

export function isWeChatErrorReply(value: unknown): value is WeChatErrorReply {
  if (typeof value !== 'object' || value === null) return false
  const errcode = (value as { errcode?: unknown }).errcode
  return typeof errcode === 'number' && errcode !== 0
}

/** The errcode a value carries: a WeChat reply, or an error this package threw for one. */
export function errcodeOf(value: unknown): number | undefined {
  if (isWeChatErrorReply(value)) return value.errcode
  if (PageModuleError.isInstance(value)) {
    const errcode = value.details?.['errcode']
    return typeof errcode === 'number' ? errcode : undefined
  }
  return undefined
}

export interface WeChatErrorContext {
  readonly appId: string
  /** What was called, for the message: `fetching an access_token`, `tcb/invokecloudfunction`… */
  readonly during: string
  /** Removed from `errmsg` wherever it appears (the app secret, an access_token). */
  readonly secrets?: ReadonlyArray<string | undefined>
  /** On the token endpoints WeChat answers a wrong secret with 40001 as well as 40125. */
  readonly fetchingToken?: boolean
  /** What errcodes particular to the API called mean; they take precedence over the general table below. */
  readonly errcodes?: WeChatErrcodeTable | undefined
}

/** What an API's own errcode means: the code thrown, what to do, and whether trying again later may help. */
export interface WeChatErrcodeMeaning {
  readonly code: string
  readonly advice: string
  readonly retryable?: boolean
}

export type WeChatErrcodeTable = Readonly<Record<number, WeChatErrcodeMeaning>>

/**
 * The `PageModuleError` for a WeChat `{ errcode, errmsg }`. Configuration and quota errors say what to do
 * and are never retryable; only WeChat's "system busy" (-1) is.
 */
export function weChatApiError(reply: WeChatErrorReply, context: WeChatErrorContext): PageModuleError {
  const errmsg = redactSecrets(String(reply.errmsg ?? ''), context.secrets ?? [])
  const { errcode } = reply
  const base = { errcode, errmsg, appId: context.appId }
  const said = `WeChat answered ${errcode}${errmsg ? ` (${errmsg})` : ''} while ${context.during} for appid ${context.appId}`
  const make = (code: WeChatErrorCode | (string & {}), advice: string, details: ErrorDetails = base, retryable = false) =>
    new PageModuleError({ code, message: `${said} — ${advice}`, retryable, requestSent: true, details })
  const own = context.errcodes?.[errcode]
  if (own !== undefined) return make(own.code, own.advice, base, own.retryable ?? false)

  switch (context.fetchingToken && errcode === 40001 ? 40125 : errcode) {
    case 40013:
      return make('WECHAT_INVALID_APPID', 'check appId: use the AppID shown in mp.weixin.qq.com → 开发管理 → 开发设置.')
    case 40125:
      return make('WECHAT_INVALID_SECRET', 'check appSecret (开发管理 → 开发设置 → AppSecret); if it was reset, configure the new one.')
    case 40164: {
      const ip = /invalid ip ([0-9a-fA-F.:]+)/.exec(errmsg)?.[1]
      const seen = ip ? `WeChat saw this server as ${ip}; add that address` : 'add this server’s egress IP'
      return make(
        'WECHAT_IP_NOT_WHITELISTED',
        `${seen} to 开发管理 → 开发设置 → IP白名单, or call through a proxy (apiBaseUrl) whose egress IP is listed.`,
        ip ? { ...base, ip } : base,
      )
    }
    case 45009:
      return make(
        'WECHAT_QUOTA_EXCEEDED',
        'the daily quota of this API is used up. Share one token store between every process using this appid ' +
          '(a second fetcher is the usual cause); the quota resets at midnight (Beijing time) or with /cgi-bin/clear_quota.',
      )
    case -1:
      return make('WECHAT_SYSTEM_BUSY', 'WeChat is busy; try again shortly.', base, true)
    default:
      if (ACCESS_TOKEN_ERRCODES.has(errcode) || errcode === 41001) {
        return make(
          'WECHAT_INVALID_TOKEN',
          'the access_token was refused even after one refresh; check that no other system fetches tokens for this appid ' +
            'outside the shared store.',
        )
      }
      return make('WECHAT_API_ERROR', 'see https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/ for this errcode.')
  }
}
