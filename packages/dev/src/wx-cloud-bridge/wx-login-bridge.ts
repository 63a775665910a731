import { WX_CLOUD_BRIDGE_HEADER, WX_GET_USER_PROFILE_PATH, WX_LOGIN_PATH } from './bridge-route'
import type { WxCloudBridgeOptions, WxCloudError } from './index'

export interface LoginResult {
  readonly code: string
  readonly errMsg: 'login:ok'
}

export interface UserProfileResult {
  readonly userInfo: Record<string, unknown>
  readonly rawData: string
  readonly signature: string
  readonly encryptedData: string
  readonly iv: string
  readonly errMsg: 'getUserProfile:ok'
}

/** The part of `wx` the bridge provides besides `wx.cloud`: login and the encrypted user profile. */
export interface WxLoginBridge {
  /** Like `wx.login()`: a code for `code2Session`, single use, valid 5 minutes. */
  login(): Promise<LoginResult>
  /**
   * Like `wx.getUserProfile()`: the profile as `rawData` + `signature` and as `encryptedData` + `iv`, encrypted with
   * the session_key of the user's last code2Session. `profile` sets what the emulated user shares.
   */
  getUserProfile(param?: { desc?: string; profile?: Record<string, string | number> }): Promise<UserProfileResult>
}

/** `wx.login` and `wx.getUserProfile` of the emulated user `openid` of `appid`, answered by the emulator. */
export function createWxLoginBridge(options: WxCloudBridgeOptions): WxLoginBridge {
  const fetchImplementation = options.fetch ?? globalThis.fetch
  async function post<Result>(path: string, api: string, extra: object): Promise<Result> {
    let answer: { ok: boolean; errMsg?: string } | undefined
    try {
      const response = await fetchImplementation(`${options.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WX_CLOUD_BRIDGE_HEADER]: '1' },
        body: JSON.stringify({ appid: options.appid, openid: options.openid, unionid: options.unionid, ...extra }),
      })
      answer = (await response.json().catch(() => undefined)) as typeof answer
    } catch (error) {
      throw wxError(`${api}:fail ${(error as Error).message}`)
    }
    if (!answer) throw wxError(`${api}:fail the emulator did not answer JSON — is mountWeChatApi on this emulator?`)
    if (!answer.ok) throw wxError(answer.errMsg ?? `${api}:fail`)
    const { ok: _ok, ...result } = answer
    return { ...result, errMsg: `${api}:ok` } as Result
  }
  return {
    login: () => post<LoginResult>(WX_LOGIN_PATH, 'login', {}),
    getUserProfile: (param = {}) => post<UserProfileResult>(WX_GET_USER_PROFILE_PATH, 'getUserProfile', { profile: param.profile }),
  }
}

function wxError(errMsg: string): WxCloudError {
  return Object.assign(new Error(errMsg), { errCode: -1, errMsg })
}
