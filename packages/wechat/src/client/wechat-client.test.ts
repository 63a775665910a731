import { afterEach, describe, expect, it } from 'vitest'
import { serve, type Served } from '../../test/loopback'
import type { AccessTokenProvider } from '../tokens/with-access-token'
import { createWeChatClient } from './wechat-client'

const running: Served[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

/** Answers with the query it received, and with an errcode whose errmsg quotes every query value when asked to. */
async function echoServer(): Promise<string> {
  const server = await serve(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x.invalid')
    const fail = url.searchParams.get('fail') === '1'
    const body = fail
      ? { errcode: 40125, errmsg: `invalid appsecret, saw ${[...url.searchParams.values()].join(' ')}` }
      : { method: request.method, query: url.search }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    return true
  })
  running.push(server)
  return server.url
}

describe('createWeChatClient().callWithoutToken', () => {
  it('puts appid and secret first in the query, sends no access_token and uses GET', async () => {
    const apiBaseUrl = await echoServer()
    const client = createWeChatClient({ appId: 'wxapp', appSecret: 's3cret-value', apiBaseUrl })
    const answer = await client.callWithoutToken({
      path: '/sns/jscode2session',
      withAppSecret: true,
      query: { js_code: 'c', grant_type: 'g' },
    })
    expect(answer).toEqual({ method: 'GET', query: '?appid=wxapp&secret=s3cret-value&js_code=c&grant_type=g' })
    expect(await client.callWithoutToken({ path: '/sns/userinfo', query: { access_token: 'user-token' } })).toEqual({
      method: 'GET',
      query: '?access_token=user-token',
    })
  })

  it('redacts the app secret and the named secrets from the error', async () => {
    const apiBaseUrl = await echoServer()
    const client = createWeChatClient({ appId: 'wxapp', appSecret: 's3cret-value', apiBaseUrl })
    const error = await client
      .callWithoutToken({
        path: '/sns/oauth2/refresh_token',
        withAppSecret: true,
        query: { refresh_token: 'rt-123', fail: 1 },
        secrets: ['rt-123'],
      })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'WECHAT_INVALID_SECRET', details: { errcode: 40125 } })
    const shown = `${String(error)} ${JSON.stringify(error)}`
    expect(shown).not.toContain('s3cret-value')
    expect(shown).not.toContain('rt-123')
    expect(shown).toContain('***')
  })

  it('refuses withAppSecret when the client was built from a token provider without appSecret', async () => {
    const tokens: AccessTokenProvider = { appId: 'wxapp', withAccessToken: (fn) => fn('t') } as AccessTokenProvider
    const client = createWeChatClient({ tokens, apiBaseUrl: await echoServer() })
    await expect(client.callWithoutToken({ path: '/sns/jscode2session', withAppSecret: true })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      requestSent: false,
    })
  })
})
