import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createMemorySessionStore } from './memory-session-store'
import { createWeChatSessions } from './wechat-sessions'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const USER = { openid: 'oUser', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==', via: 'mini-program' } as const

function clock() {
  let time = Date.UTC(2026, 10, 30)
  return { now: () => time, advance: (ms: number) => (time += ms) }
}

describe('createWeChatSessions', () => {
  it('issues a token that carries no session_key and authorizes "wechat <token>"', async () => {
    const sessions = createWeChatSessions({ secret: SECRET })
    const { token } = await sessions.issue(USER)
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString())
    expect(payload).toMatchObject({ sub: 'oUser', iss: 'page-module' })
    expect(token).not.toContain(USER.sessionKey)
    expect(JSON.stringify(payload)).not.toContain(USER.sessionKey)
    const request = new Request('http://x.invalid/', { headers: { authorization: `wechat ${token}` } })
    expect(await sessions.authorize(request)).toMatchObject({ ...USER, id: payload.jti })
  })

  it('refuses a missing or malformed header, a token signed with another key, and a bearer token', async () => {
    const sessions = createWeChatSessions({ secret: SECRET })
    const { token } = await sessions.issue(USER)
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('page-module')
      .setSubject('oUser')
      .setJti('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123456789'))
    for (const authorization of [undefined, `Bearer ${token}`, `wechat ${forged}`, 'wechat', `wechat ${token}x`]) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
      await expect(sessions.authorize(new Request('http://x.invalid/', { headers }))).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    }
  })

  it('refuses an expired token and a revoked session; accepts the session cookie on GET only', async () => {
    const { now, advance } = clock()
    const sessions = createWeChatSessions({ secret: SECRET, ttlSeconds: 60, now, store: createMemorySessionStore({ now }) })
    const { token } = await sessions.issue(USER)
    const withCookie = new Request('http://x.invalid/', { headers: { cookie: `a=b; wechat_session=${token}` } })
    expect((await sessions.authorize(withCookie)).openid).toBe('oUser')
    const cookiePut = new Request('http://x.invalid/', { method: 'PUT', headers: { cookie: `wechat_session=${token}` } })
    await expect(sessions.authorize(cookiePut)).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    advance(61_000)
    await expect(sessions.verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('expired') })
    const second = await sessions.issue(USER)
    await sessions.revoke(second.token)
    await expect(sessions.verify(second.token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })

  it('updates what the store keeps and refuses a short secret', async () => {
    const sessions = createWeChatSessions({ secret: SECRET })
    const { token } = await sessions.issue(USER)
    await sessions.update(await sessions.verify(token), { profile: { nickName: 'Band' } })
    expect((await sessions.verify(token)).profile).toEqual({ nickName: 'Band' })
    expect(() => createWeChatSessions({ secret: 'short' })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})
