export type { WeChatPushErrorCode } from './push-errors'
export { pushSignature, verifySignature, answerEchostr, type SignedQuery } from './push-signature'
export { createMessageCrypto, type MessageCrypto, type MessageCryptoOptions, type EncryptedReply } from './message-crypto'
export {
  parsePushBody,
  toPushMessage,
  formatOf,
  type PushMessage,
  type PushFormat,
  type TextMessage,
  type ImageMessage,
  type VoiceMessage,
  type VideoMessage,
  type LocationMessage,
  type LinkMessage,
  type MiniProgramPageMessage,
  type EventMessage,
} from './push-message'
export { replyFields, serializeReply, type PassiveReply, type NewsArticle } from './passive-reply'
export { createPushGateway, type PushGatewayOptions, type RequestHandler } from './push-gateway'
