import { PageModuleError } from '@page-module/core'

/** The codes `@page-module/wechat/push` adds to core's open `PageModuleErrorCode` union. */
export type WeChatPushErrorCode =
  'WECHAT_PUSH_SIGNATURE_MISMATCH' | 'WECHAT_PUSH_DECRYPT_FAILED' | 'WECHAT_PUSH_APPID_MISMATCH' | 'WECHAT_PUSH_BAD_MESSAGE'

export function pushError(code: WeChatPushErrorCode | 'INVALID_OPTIONS', message: string): PageModuleError {
  return new PageModuleError({ code, message, requestSent: false })
}
