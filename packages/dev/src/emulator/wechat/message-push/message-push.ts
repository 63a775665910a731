import { randomBytes } from 'node:crypto'
import type { EmulatedInvocation, InvokeEmulatedFunction } from '../../emulator-types'

/** One line of the console's message-push setting (cloud-function mode): messages of this type (and event) go to this function. */
export interface MessagePushRoute {
  /** `text`, `image`, `miniprogrampage`, or `event`. */
  readonly msgType: string
  /** For `msgType: 'event'`: `user_enter_tempsession`, `subscribe_msg_event`… */
  readonly event?: string
  readonly functionName: string
}

/** A user's message or event as WeChat pushes it (JSON keys as on the wire); `FromUserName` is the user's openid. */
export interface PushedMessage {
  readonly FromUserName: string
  readonly MsgType: string
  readonly Event?: string
  readonly [field: string]: unknown
}

export interface MessagePush {
  /**
   * Delivers a message to the function its `<MsgType, Event>` is routed to, as the user (OPENID in the function's WX
   * context); rejects when no route takes it.
   */
  deliver(message: PushedMessage): Promise<EmulatedInvocation>
}

export function createMessagePush(options: {
  readonly routes: readonly MessagePushRoute[]
  readonly appId: string
  readonly invoke: InvokeEmulatedFunction
  readonly nowSeconds?: () => number
  /** Called for each message delivered (the open APIs open the customer-service reply window). */
  readonly onDeliver?: (message: PushedMessage) => void
}): MessagePush {
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  const seen = new Set<string>()
  for (const route of options.routes) {
    const key = `${route.msgType}\u0000${route.event ?? ''}`
    if (seen.has(key)) throw new Error(`<${route.msgType}, ${route.event ?? ''}> is routed twice: each pair goes to exactly one function`)
    seen.add(key)
  }
  return {
    async deliver(message) {
      if (typeof message?.FromUserName !== 'string' || message.FromUserName === '' || typeof message.MsgType !== 'string')
        throw new Error('a pushed message needs FromUserName (the user’s openid) and MsgType')
      const route = options.routes.find(
        (candidate) => candidate.msgType === message.MsgType && (candidate.event ?? '') === (message.Event ?? ''),
      )
      if (!route) throw new Error(`no function is configured for <${message.MsgType}, ${message.Event ?? ''}>`)
      options.onDeliver?.(message)
      const createTime = nowSeconds()
      const event = {
        ToUserName: options.appId,
        CreateTime: createTime,
        ...(message.MsgType === 'event' ? {} : { MsgId: `${randomBytes(16).toString('hex')}_${createTime}` }),
        ...message,
        userInfo: { appId: options.appId, openId: message.FromUserName },
      }
      return options.invoke(route.functionName, event, { openid: message.FromUserName, appid: options.appId })
    },
  }
}
