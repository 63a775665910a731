import { PageModuleError, type ErrorDetails } from '@page-module/core'

/** The codes `@page-module/wechat/auth` adds to core's open `PageModuleErrorCode` union. */
export type WeChatAuthErrorCode =
  | 'WECHAT_INVALID_CODE'
  | 'WECHAT_CODE_USED'
  | 'WECHAT_CODE_EXPIRED'
  | 'WECHAT_RATE_LIMITED'
  | 'WECHAT_USER_BLOCKED'
  | 'WECHAT_DECRYPT_FAILED'
  | 'WECHAT_WATERMARK_MISMATCH'
  | 'WECHAT_SIGNATURE_MISMATCH'
  | 'UNAUTHORIZED'
  | 'OAUTH_STATE_INVALID'
  | 'OAUTH_RETURN_TO_REFUSED'

export function authError(code: WeChatAuthErrorCode | 'INVALID_OPTIONS', message: string, details?: ErrorDetails): PageModuleError {
  return new PageModuleError({ code, message, requestSent: false, ...(details ? { details } : {}) })
}
