export type { WeChatAuthErrorCode } from './auth-errors'
export { code2Session, type MiniProgramSession } from './code-to-session'
export { decryptUserData, type EncryptedUserData, type UserDataWatermark } from './decrypt-user-data'
export { verifyRawData, loginStateSignature, verifyLoginState } from './raw-data-signature'
export type { SessionStore, StoredSession } from './session-store'
export { createMemorySessionStore } from './memory-session-store'
export { createWeChatSessions, cookieValue, type WeChatSessions, type WeChatSessionsOptions, type WeChatSession } from './wechat-sessions'
export { authorizeUrl, WECHAT_OPEN_BASE_URL, type AuthorizeUrlInput, type OAuthScope } from './oauth/authorize-url'
export { safeReturnTo } from './oauth/return-to'
export { createMemoryOAuthStateStore, randomState, type OAuthStateStore, type PendingAuthorization } from './oauth/oauth-state-store'
export {
  createOfficialAccountOAuth,
  type OfficialAccountOAuth,
  type OfficialAccountOAuthOptions,
  type OAuthTokens,
  type OAuthUserInfo,
  type OAuthCompletion,
} from './oauth/official-account-oauth'
