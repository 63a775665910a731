export { toNodeListener, toWebRequest, sendWebResponse, type RequestHandler, type NodeAdapterOptions } from './node-adapter'
export { createWeChatRoutes, DEFAULT_ROUTE_PREFIX, type WeChatRoutesOptions } from './wechat-routes'
