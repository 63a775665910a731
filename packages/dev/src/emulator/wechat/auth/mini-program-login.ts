import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseJsonObject, readBody, sendJson } from '../../http-json'
import { WX_CLOUD_BRIDGE_HEADER, WX_GET_USER_PROFILE_PATH, WX_LOGIN_PATH } from '../../../wx-cloud-bridge/bridge-route'
import type { WeChatApiEmulator } from '../wechat-api-emulator'
import { weChatReply } from '../wechat-reply'

/** A login code lives 5 minutes and is accepted once, as WeChat's. */
export const LOGIN_CODE_TTL_MS = 5 * 60_000

/** WeChat answers 45011 past 100 code2Session calls per user per minute. */
export const LOGINS_PER_USER_PER_MINUTE = 100

/** The profile `getUserProfile` answers when the bridge gives none. */
export interface EmulatedUserProfile {
  readonly nickName: string
  readonly gender: number
  readonly language: string
  readonly city: string
  readonly province: string
  readonly country: string
  readonly avatarUrl: string
}

const DEFAULT_PROFILE: EmulatedUserProfile = {
  nickName: '微信用户',
  gender: 0,
  language: 'zh_CN',
  city: '',
  province: '',
  country: '',
  avatarUrl: '',
}

interface IssuedCode {
  readonly appId: string
  readonly openid: string
  readonly unionid: string | undefined
  readonly issuedAt: number
  used: boolean
}

export interface MiniProgramLogin {
  /** What `wx.login()` does inside WeChat: a fresh code for this user of this app. */
  mintCode(user: { appId: string; openid: string; unionid?: string | undefined }): string
  /** The session_key jscode2session gave this user last (only one is valid at a time). */
  sessionKeyOf(appId: string, openid: string): string | undefined
  /** Marks a user as high-risk: their codes are refused with 40226, as WeChat's risk control does. */
  block(appId: string, openid: string): void
}

/**
 * `sns/jscode2session` with WeChat's rules (codes from the bridge's `wx.login()`, single use, 5 minutes; errors 40013,
 * 40125, 41008, 40029, 40163, 45011 past 100 calls per user per minute, 40226 for a blocked user), and the bridge's
 * `wx.login()` / `wx.getUserProfile()` routes.
 */
export function mountMiniProgramLogin(wechat: WeChatApiEmulator, options: { now?: () => number } = {}): MiniProgramLogin {
  const now = options.now ?? Date.now
  const codes = new Map<string, IssuedCode>()
  const sessionKeys = new Map<string, string>()
  const blocked = new Set<string>()
  const recentLogins = new Map<string, number[]>()
  const userKey = (appId: string, openid: string) => `${appId}\n${openid}`

  const login: MiniProgramLogin = {
    mintCode({ appId, openid, unionid }) {
      for (const [code, issued] of codes) if (now() - issued.issuedAt > LOGIN_CODE_TTL_MS) codes.delete(code)
      const code = randomBytes(24).toString('base64url')
      codes.set(code, { appId, openid, unionid, issuedAt: now(), used: false })
      return code
    },
    sessionKeyOf: (appId, openid) => sessionKeys.get(userKey(appId, openid)),
    block: (appId, openid) => void blocked.add(userKey(appId, openid)),
  }

  /** Counts a call for the user; true when it is over the per-minute limit. */
  function overLimit(key: string): boolean {
    const recent = (recentLogins.get(key) ?? []).filter((at) => now() - at < 60_000)
    recent.push(now())
    recentLogins.set(key, recent)
    return recent.length > LOGINS_PER_USER_PER_MINUTE
  }

  wechat.serveOpen('/sns/jscode2session', async (_request, response, url) => {
    const parameter = (name: string) => url.searchParams.get(name) ?? ''
    const app = wechat.appOf(parameter('appid'))
    const answer = (): object => {
      if (parameter('appid') === '') return weChatReply(41002, 'appid missing')
      if (app === undefined) return weChatReply(40013, 'invalid appid')
      if (parameter('secret') === '') return weChatReply(41004, 'appsecret missing')
      if (parameter('secret') !== app.appSecret) return weChatReply(40125, 'invalid appsecret')
      if (parameter('js_code') === '') return weChatReply(41008, 'missing code')
      if (parameter('grant_type') !== 'authorization_code') return weChatReply(40002, 'invalid grant_type')
      const issued = codes.get(parameter('js_code'))
      if (issued === undefined || issued.appId !== app.appId || now() - issued.issuedAt > LOGIN_CODE_TTL_MS) {
        return weChatReply(40029, 'invalid code')
      }
      if (issued.used) return weChatReply(40163, 'code been used')
      const user = userKey(app.appId, issued.openid)
      if (overLimit(user)) return weChatReply(45011, 'api minute-quota reach limit  mustslower  retry next minute')
      if (blocked.has(user)) return weChatReply(40226, 'code blocked')
      issued.used = true
      const sessionKey = randomBytes(16).toString('base64')
      sessionKeys.set(user, sessionKey)
      // A success carries no errcode, as WeChat's.
      return { session_key: sessionKey, openid: issued.openid, ...(issued.unionid ? { unionid: issued.unionid } : {}) }
    }
    sendJson(response, 200, answer())
  })

  wechat.serveOpen(WX_LOGIN_PATH, async (request, response) => {
    const body = await bridgeBody(request, response)
    if (!body) return
    if (wechat.appOf(body.appid) === undefined) {
      sendJson(response, 200, { ok: false, errMsg: `login:fail appid ${body.appid} is not an app of this emulator` })
      return
    }
    sendJson(response, 200, { ok: true, code: login.mintCode({ appId: body.appid, openid: body.openid, unionid: body.unionid }) })
  })

  wechat.serveOpen(WX_GET_USER_PROFILE_PATH, async (request, response) => {
    const body = await bridgeBody(request, response)
    if (!body) return
    const sessionKey = sessionKeys.get(userKey(body.appid, body.openid))
    if (sessionKey === undefined) {
      sendJson(response, 200, {
        ok: false,
        errMsg: 'getUserProfile:fail no session_key yet — call wx.login() and exchange the code with code2Session first',
      })
      return
    }
    const userInfo = { ...DEFAULT_PROFILE, ...profileOf(body.profile) }
    const rawData = JSON.stringify(userInfo)
    const watermark = { timestamp: Math.floor(now() / 1000), appid: body.appid }
    const payload = { openId: body.openid, ...userInfo, ...(body.unionid ? { unionId: body.unionid } : {}), watermark }
    const iv = randomBytes(16)
    const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv)
    const encryptedData = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]).toString('base64')
    sendJson(response, 200, {
      ok: true,
      userInfo,
      rawData,
      signature: createHash('sha1')
        .update(rawData + sessionKey, 'utf8')
        .digest('hex'),
      encryptedData,
      iv: iv.toString('base64'),
    })
  })

  return login
}

interface BridgeBody {
  readonly appid: string
  readonly openid: string
  readonly unionid?: string | undefined
  readonly profile?: unknown
}

async function bridgeBody(request: IncomingMessage, response: ServerResponse): Promise<BridgeBody | undefined> {
  if (request.method !== 'POST' || request.headers[WX_CLOUD_BRIDGE_HEADER] !== '1') {
    sendJson(response, 403, { ok: false, errMsg: 'only the wx.cloud bridge may call this route' })
    return undefined
  }
  const body = parseJsonObject(await readBody(request))
  if (!body || typeof body.appid !== 'string' || typeof body.openid !== 'string' || body.appid === '' || body.openid === '') {
    sendJson(response, 400, { ok: false, errMsg: 'the bridge must send appid and openid' })
    return undefined
  }
  const unionid = typeof body.unionid === 'string' && body.unionid !== '' ? body.unionid : undefined
  return { appid: body.appid, openid: body.openid, unionid, profile: body.profile }
}

function profileOf(value: unknown): Partial<EmulatedUserProfile> {
  if (typeof value !== 'object' || value === null) return {}
  const profile: Record<string, string | number> = {}
  for (const [name, fallback] of Object.entries(DEFAULT_PROFILE)) {
    const given = (value as Record<string, unknown>)[name]
    if (typeof given === typeof fallback) profile[name] = given as string | number
  }
  return profile as Partial<EmulatedUserProfile>
}
