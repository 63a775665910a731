import { describe, expect, it } from 'vitest'
import type { CallerIdentity } from '../../emulator-types'
import { createMessagePush } from './message-push'

function recording() {
  const calls: Array<{ name: string; event: Record<string, unknown>; identity: CallerIdentity | undefined }> = []
  const invoke = async (name: string, event: unknown, identity?: CallerIdentity) => {
    calls.push({ name, event: event as Record<string, unknown>, identity })
    return { ok: true as const, result: 'success', requestId: 'r1' }
  }
  return { calls, invoke }
}

describe('createMessagePush', () => {
  it('routes by <MsgType, Event> and delivers the JSON message as the user, with WeChat’s fields filled in', async () => {
    const { calls, invoke } = recording()
    const push = createMessagePush({
      appId: 'wxAPP',
      invoke,
      nowSeconds: () => 1555684067,
      routes: [
        { msgType: 'text', functionName: 'onText' },
        { msgType: 'event', event: 'user_enter_tempsession', functionName: 'onEnter' },
      ],
    })
    await push.deliver({ FromUserName: 'oU', MsgType: 'text', Content: '测试' })
    await push.deliver({ FromUserName: 'oU', MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'x' })
    expect(calls.map((call) => call.name)).toEqual(['onText', 'onEnter'])
    expect(calls[0]!.event).toEqual({
      ToUserName: 'wxAPP',
      FromUserName: 'oU',
      CreateTime: 1555684067,
      MsgId: expect.stringMatching(/_1555684067$/),
      MsgType: 'text',
      Content: '测试',
      userInfo: { appId: 'wxAPP', openId: 'oU' },
    })
    expect(calls[0]!.identity).toEqual({ openid: 'oU', appid: 'wxAPP' })
    expect(calls[1]!.event).not.toHaveProperty('MsgId')
    await expect(push.deliver({ FromUserName: 'oU', MsgType: 'event', Event: 'other' })).rejects.toThrow(/<event, other>/)
  })

  it('refuses a pair routed to two functions, and a message without its user', async () => {
    const { invoke } = recording()
    const routes = [
      { msgType: 'text', functionName: 'a' },
      { msgType: 'text', functionName: 'b' },
    ]
    expect(() => createMessagePush({ appId: 'wxAPP', invoke, routes })).toThrow(/routed twice/)
    const push = createMessagePush({ appId: 'wxAPP', invoke, routes: [routes[0]!] })
    await expect(push.deliver({ FromUserName: '', MsgType: 'text' })).rejects.toThrow(/FromUserName/)
  })
})
