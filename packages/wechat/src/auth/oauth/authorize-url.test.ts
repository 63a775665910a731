import { describe, expect, it } from 'vitest'
import { authorizeUrl } from './authorize-url'

describe('authorizeUrl', () => {
  it("matches wechatpy's test vector (no state)", () => {
    expect(authorizeUrl({ appId: '123456', redirectUri: 'http://localhost', scope: 'snsapi_base' })).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=123456&redirect_uri=http%3A%2F%2Flocalhost' +
        '&response_type=code&scope=snsapi_base#wechat_redirect',
    )
  })

  it('keeps WeChat’s parameter order, encodes the redirect completely and ends with #wechat_redirect', () => {
    const url = authorizeUrl({
      appId: 'wx520c15f417810387',
      redirectUri: "https://chong.qq.com/a/b?x=1&y=it's (ok)*",
      scope: 'snsapi_userinfo',
      state: 'Ab12',
    })
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387' +
        '&redirect_uri=https%3A%2F%2Fchong.qq.com%2Fa%2Fb%3Fx%3D1%26y%3Dit%27s%20%28ok%29%2A' +
        '&response_type=code&scope=snsapi_userinfo&state=Ab12#wechat_redirect',
    )
  })

  it('refuses a state outside [A-Za-z0-9]{1,128}, an unknown scope and a relative redirect', () => {
    const base = { appId: 'wx1', redirectUri: 'https://a.example/cb', scope: 'snsapi_base' } as const
    for (const bad of [{ state: 'a&b' }, { state: 'x'.repeat(129) }, { scope: 'snsapi_login' }, { redirectUri: '/cb' }]) {
      expect(() => authorizeUrl({ ...base, ...bad } as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    }
  })
})
