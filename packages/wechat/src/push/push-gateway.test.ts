import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createPushSimulator } from '../../../dev/src/emulator/wechat/push/push-simulator'
import { toNodeListener } from '../server/node-adapter'
import { createPushGateway } from './push-gateway'
import type { PushFormat, PushMessage } from './push-message'
import { pushSignature } from './push-signature'

const TOKEN = 'AAAAA'
const APP_ID = 'wx5823bf96d3bd56c7'
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'
const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

async function serveGateway({ format, plainOnly = false }: { format?: PushFormat; plainOnly?: boolean } = {}) {
  const received: PushMessage[] = []
  const gateway = createPushGateway({
    token: TOKEN,
    appId: APP_ID,
    ...(plainOnly ? {} : { encodingAesKey: AES_KEY }),
    ...(format ? { format } : {}),
    onMessage(message) {
      received.push(message)
      if (message.MsgType === 'text') return { type: 'text', content: `you said: ${message.Content}` }
      return undefined
    },
  })
  const server = createServer(toNodeListener(gateway))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat-mp/gateway`, received }
}

const TEXT = { ToUserName: 'gh_97417a04a28d', FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', CreateTime: 1714037059, MsgType: 'text' }

describe('createPushGateway, driven by the emulator’s push simulator', () => {
  it('answers server verification with echostr, and refuses it under another token', async () => {
    const { url } = await serveGateway()
    expect(await createPushSimulator({ url, token: TOKEN, appId: APP_ID }).verifyServer()).toBe(true)
    expect(await createPushSimulator({ url, token: 'BBBBB', appId: APP_ID }).verifyServer()).toBe(false)
  })

  it('plain XML: a typed text message gets a passive XML reply addressed back; CDATA-breaking text survives', async () => {
    const { url, received } = await serveGateway()
    const simulator = createPushSimulator({ url, token: TOKEN, appId: APP_ID })
    const outcome = await simulator.push({ ...TEXT, Content: 'a]]><b>&', MsgId: '24602493212813426' })
    expect(received[0]).toMatchObject({ MsgType: 'text', Content: 'a]]><b>&', CreateTime: 1714037059, MsgId: '24602493212813426' })
    expect(outcome.body).toMatch(/^<xml><ToUserName><!\[CDATA\[o9AgO5Kd5ggOC-bXrbNODIiE3bGY\]\]><\/ToUserName>/)
    expect(outcome.reply).toMatchObject({
      ToUserName: TEXT.FromUserName,
      FromUserName: TEXT.ToUserName,
      MsgType: 'text',
      Content: 'you said: a]]><b>&',
    })
  })

  it('plain JSON: the official debug_demo event is typed and answered with success', async () => {
    const { url, received } = await serveGateway()
    const outcome = await createPushSimulator({ url, token: TOKEN, appId: APP_ID, format: 'json' }).push({
      ToUserName: 'gh_97417a04a28d',
      FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      CreateTime: 1714037059,
      MsgType: 'event',
      Event: 'debug_demo',
      debug_str: 'hello world',
    })
    expect(outcome).toMatchObject({ status: 200, body: 'success', reply: 'success' })
    expect(received).toEqual([expect.objectContaining({ MsgType: 'event', Event: 'debug_demo', debug_str: 'hello world' })])
  })

  it('safe mode, XML and JSON: decrypts the push and encrypts the reply (the simulator checks its signature)', async () => {
    for (const format of ['xml', 'json'] as const) {
      const { url } = await serveGateway({ format })
      const simulator = createPushSimulator({ url, token: TOKEN, appId: APP_ID, encodingAesKey: AES_KEY, format })
      const outcome = await simulator.push({ ...TEXT, Content: '你好', MsgId: '1' })
      expect(outcome.body).toContain('Encrypt')
      expect(outcome.body).not.toContain('你好')
      expect(outcome.reply).toMatchObject({ MsgType: 'text', Content: 'you said: 你好' })
    }
  })

  it('refuses a push under another token, one encrypted with another key, and safe mode without a key', async () => {
    const { url, received } = await serveGateway()
    expect((await createPushSimulator({ url, token: 'BBBBB', appId: APP_ID }).push(TEXT)).status).toBe(403)
    const foreignKey = createPushSimulator({
      url,
      token: TOKEN,
      appId: APP_ID,
      encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    })
    expect((await foreignKey.push({ ...TEXT, Content: 'x' })).status).toBe(403)
    const plainOnly = await serveGateway({ plainOnly: true })
    const encrypted = createPushSimulator({ url: plainOnly.url, token: TOKEN, appId: APP_ID, encodingAesKey: AES_KEY })
    expect((await encrypted.push({ ...TEXT, Content: 'x' })).status).toBe(403)
    expect(received).toEqual([])
  })

  it('refuses XML with a DOCTYPE (no entity expansion) as a bad message, even when signed', async () => {
    const { url, received } = await serveGateway({ plainOnly: true })
    const signed = new URL(url)
    signed.searchParams.set('signature', pushSignature([TOKEN, '1714037059', '486452656']))
    signed.searchParams.set('timestamp', '1714037059')
    signed.searchParams.set('nonce', '486452656')
    const probe = await fetch(signed, { method: 'POST', body: '<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>' })
    expect([probe.status, await probe.text()]).toEqual([400, 'WECHAT_PUSH_BAD_MESSAGE'])
    expect(received).toEqual([])
  })
})
