import { describe, expect, it } from 'vitest'
import { serve } from '../../test/loopback'
import { createWeChatClient } from './wechat-client'

describe('createWeChatClient exactIntegers', () => {
  it('answers integers beyond 2^53 as exact strings when asked, rounded numbers otherwise', async () => {
    const server = await serve(async (request, response) => {
      if (!request.url?.startsWith('/cgi-bin/message/subscribe/send?access_token=T')) return false
      response.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' })
      response.end('{"errcode":0,"errmsg":"ok","msgid":1730583985829494784}')
      return true
    })
    try {
      const client = createWeChatClient({
        tokens: { appId: 'wx1', getAccessToken: async () => 'T', invalidate: async () => true, withAccessToken: (fn) => fn('T') },
        apiBaseUrl: server.url,
      })
      const exact = await client.call({ path: '/cgi-bin/message/subscribe/send', body: {}, exactIntegers: true })
      expect(exact['msgid']).toBe('1730583985829494784')
      const rounded = await client.call({ path: '/cgi-bin/message/subscribe/send', body: {} })
      expect(rounded['msgid']).toBe(1730583985829494800)
    } finally {
      await server.close()
    }
  })
})
