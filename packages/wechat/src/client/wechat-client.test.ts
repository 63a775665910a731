import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { APP, startEmulatedWeChat } from '../../test/emulated-wechat'
import { createAccessTokenManager } from '../tokens/access-token-manager'
import { serve, type Served } from '../../test/loopback'
import type { AccessTokenProvider } from '../tokens/with-access-token'
import { createWeChatClient } from './wechat-client'

async function setup() {
  const wechat = await startEmulatedWeChat()
  const tokens = createAccessTokenManager({ ...APP, apiBaseUrl: wechat.apiBaseUrl, now: wechat.now, backgroundRefresh: false })
  const client = createWeChatClient({ tokens, apiBaseUrl: wechat.apiBaseUrl })
  return { wechat, tokens, client }
}

/** Every way an error can reach a log. */
function shown(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join('\n')
}

describe('createWeChatClient against the WeChat API emulator', () => {
  it('puts the access_token and the query into the URL and resolves with the JSON answer', async () => {
    const { wechat, tokens, client } = await setup()
    wechat.emulator.serveApi('/test/echo', async ({ url, appId }) => ({ errcode: 0, appId, query: Object.fromEntries(url.searchParams) }))
    const answer = await client.call<{ appId: string; query: Record<string, string> }>({
      path: '/test/echo',
      query: { env: 'env-1a2b', limit: 10 },
    })
    expect(answer).toEqual({
      errcode: 0,
      appId: APP.appId,
      query: { access_token: await tokens.getAccessToken(), env: 'env-1a2b', limit: '10' },
    })
  })

  it('replaces a refused token once (40001) and succeeds with the fresh one', async () => {
    const { wechat, tokens, client } = await setup()
    const seen: string[] = []
    wechat.emulator.serveApi('/test/seen', async ({ url }) => (seen.push(url.searchParams.get('access_token') ?? ''), { errcode: 0 }))
    await client.call({ path: '/test/seen' })
    const revoked = await tokens.getAccessToken()
    wechat.emulator.revokeTokens(APP.appId)
    await client.call({ path: '/test/seen' })
    expect(seen).toHaveLength(2)
    expect(seen[0]).toBe(revoked)
    expect(seen[1]).not.toBe(revoked)
    expect(wechat.emulator.counters).toMatchObject({ tokensIssued: 2, rejectedTokens: 1 })
  })

  it('retries only once: an API that keeps answering 40001 fails with WECHAT_INVALID_TOKEN', async () => {
    const { wechat, client } = await setup()
    let calls = 0
    wechat.emulator.serveApi('/test/refuses', async () => (calls++, { errcode: 40001, errmsg: 'invalid credential' }))
    const error = await client.call({ path: '/test/refuses' }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'WECHAT_INVALID_TOKEN', requestSent: true, details: { errcode: 40001 } })
    expect(calls).toBe(2)
  })

  it('turns an errcode into a typed error that never contains the token, even when WeChat quotes it', async () => {
    const { wechat, tokens, client } = await setup()
    wechat.emulator.serveApi('/test/quota', async ({ url }) => ({
      errcode: 45009,
      errmsg: `reach max api daily quota limit, access_token ${url.searchParams.get('access_token')}`,
    }))
    const error = await client.call({ path: '/test/quota', during: 'testing quotas' }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'WECHAT_QUOTA_EXCEEDED', retryable: false, requestSent: true, details: { errcode: 45009 } })
    expect(String(error)).toContain('while testing quotas for appid')
    expect(shown(error)).not.toContain(await tokens.getAccessToken())
    expect(shown(error)).toContain('[redacted]')
  })

  it("maps an API's own errcodes from the request's table before the general ones", async () => {
    const { wechat, client } = await setup()
    wechat.emulator.serveApi('/test/own', async () => ({ errcode: 85088, errmsg: 'no qbase privilege' }))
    const errcodes = { 85088: { code: 'INVALID_ENV', advice: 'enable 云开发.', retryable: false } }
    await expect(client.call({ path: '/test/own', errcodes })).rejects.toMatchObject({
      code: 'INVALID_ENV',
      message: expect.stringMatching(/^WeChat answered 85088 \(no qbase privilege\) while \/test\/own .* — enable 云开发\.$/),
    })
    await expect(client.call({ path: '/test/own' })).rejects.toMatchObject({ code: 'WECHAT_API_ERROR' })
  })

  it('tells bytes from JSON by Content-Type in callBinary', async () => {
    const { wechat, client } = await setup()
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x7b, 0x22])
    wechat.emulator.serveApi('/test/image', async () => ({ contentType: 'image/png', body: image }))
    wechat.emulator.serveApi('/test/image-refused', async () => ({ errcode: 40097, errmsg: 'invalid args' }))
    wechat.emulator.serveApi('/test/image-as-json', async () => ({ errcode: 0, media_id: 'm-1' }))
    const bytes = await client.callBinary({ path: '/test/image' })
    expect(bytes).toEqual({ contentType: 'image/png', buffer: image })
    await expect(client.callBinary({ path: '/test/image-refused' })).rejects.toMatchObject({
      code: 'WECHAT_API_ERROR',
      details: { errcode: 40097 },
    })
    await expect(client.callBinary({ path: '/test/image-as-json' })).resolves.toEqual({ errcode: 0, media_id: 'm-1' })
  })

  it('sends a FormData body as multipart/form-data that arrives intact', async () => {
    const { wechat, client } = await setup()
    wechat.emulator.serveApi('/test/upload', async ({ request }) => {
      // The platform's own multipart parser (undici's Response.formData) reads what arrived.
      const contentType = request.headers['content-type'] ?? ''
      const form = await new Response(Readable.toWeb(request) as ReadableStream, { headers: { 'content-type': contentType } }).formData()
      const file = form.get('media') as File
      const bytes = Buffer.from(await file.arrayBuffer())
      return {
        errcode: 0,
        contentType: contentType.split(';')[0],
        type: form.get('type'),
        fileName: file.name,
        fileType: file.type,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }
    })
    const content = Buffer.from(Array.from({ length: 3000 }, (_, index) => index % 256))
    const form = new FormData()
    form.set('type', 'image')
    form.set('media', new Blob([content], { type: 'image/jpeg' }), 'photo 1.jpg')
    await expect(client.call({ path: '/test/upload', body: form })).resolves.toEqual({
      errcode: 0,
      contentType: 'multipart/form-data',
      type: 'image',
      fileName: 'photo 1.jpg',
      fileType: 'image/jpeg',
      size: 3000,
      sha256: createHash('sha256').update(content).digest('hex'),
    })
  })

  it('marks an error getting the token as not sent, for every API, and calls nothing', async () => {
    const wechat = await startEmulatedWeChat()
    let calls = 0
    wechat.emulator.serveApi('/test/any', async () => (calls++, { errcode: 0 }))
    const client = createWeChatClient({ ...APP, appSecret: 'wrong-secret-0000', apiBaseUrl: wechat.apiBaseUrl, now: wechat.now })
    for (const call of [client.call({ path: '/test/any' }), client.callBinary({ path: '/test/any' })]) {
      const error = await call.catch((caught: unknown) => caught)
      expect(error).toMatchObject({ code: 'WECHAT_INVALID_SECRET', requestSent: false })
      expect(shown(error)).not.toContain('wrong-secret-0000')
    }
    expect(calls).toBe(0)
  })

  it('validates the timeout option, for the client and for one call', async () => {
    for (const timeout of [0, -1, 1.5, Number.NaN, '100' as unknown as number]) {
      expect(() => createWeChatClient({ ...APP, timeout }), String(timeout)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('timeout') }),
      )
    }
    const { wechat, client } = await setup()
    let calls = 0
    wechat.emulator.serveApi('/test/counted', async () => (calls++, { errcode: 0 }))
    await expect(client.call({ path: '/test/counted', timeout: -5 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(calls).toBe(0)
  })

  it('gives up on an API that does not answer within the timeout', async () => {
    const { wechat, client } = await setup()
    let answer: () => void = () => {}
    const held = new Promise<void>((resolve) => (answer = resolve))
    wechat.emulator.serveApi('/test/slow', async () => (await held, { errcode: 0 }))
    await expect(client.call({ path: '/test/slow', timeout: 50 })).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true })
    answer()
  })
})

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
    expect(shown).toContain('[redacted]')
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
