export {
  createAccessTokenManager,
  WECHAT_API_BASE_URL,
  type AccessTokenManager,
  type AccessTokenManagerOptions,
} from './tokens/access-token-manager'
export { runWithAccessToken, type AccessTokenProvider } from './tokens/with-access-token'
export { createMemoryTokenStore, type MemoryTokenStoreOptions } from './tokens/memory-token-store'
export { createFileTokenStore, type FileTokenStoreOptions } from './tokens/file-token-store'
export {
  applyCompareAndSet,
  applyExpire,
  type AccessToken,
  type StoredToken,
  type TokenStore,
  type TokenLock,
  type CompareAndSetResult,
} from './tokens/token-store'
export { createRemoteTokenProvider, type RemoteTokenProviderOptions } from './tokens/remote-token-provider'
export { createTokenServer, type TokenServer, type TokenServerOptions, type TokenServerApp } from './token-server/token-server'
export { runTokenServerCli, TOKEN_SERVER_USAGE, type TokenServerCliIo } from './token-server/token-server-cli'
export { createWeChatHttpTransport, type WeChatHttpTransport, type WeChatHttpTransportOptions } from './functions/wechat-http-transport'
export { ACCESS_TOKEN_ERRCODES, errcodeOf, isWeChatErrorReply, type WeChatErrorCode, type WeChatErrorReply } from './client/wechat-errors'
export type { FetchFunction } from './client/request-json'
export {
  createWeChatClient,
  type WeChatClient,
  type WeChatClientOptions,
  type WeChatRequest,
  type WeChatBinaryAnswer,
} from './client/wechat-client'
export type { WeChatTokenlessRequest } from './client/wechat-client'
