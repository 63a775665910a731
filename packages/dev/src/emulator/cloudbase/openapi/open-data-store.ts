import { randomBytes } from 'node:crypto'

/** Open data a mini-program user received as a cloudID (`wx.getWeRunData` and the like), kept until it expires. */
export interface OpenDataStore {
  /** Keeps `data` for this user and app, and answers the cloudID standing for it. */
  mint(owner: { openid: string; appid: string }, data: Record<string, unknown>): string
  /** The data with its watermark, or the cloud-call error code: -601005 unknown, -601006 expired, -601007 another user's. */
  resolve(cloudID: string, caller: { openid?: string | undefined }): { data: Record<string, unknown> } | { errCode: number }
}

/** cloudIDs last five minutes, as the platform's do. */
const TTL_SECONDS = 300

export function createOpenDataStore(nowSeconds: () => number = () => Math.floor(Date.now() / 1000)): OpenDataStore {
  const entries = new Map<string, { openid: string; appid: string; data: Record<string, unknown>; mintedAt: number }>()
  return {
    mint({ openid, appid }, data) {
      const cloudID = `${randomBytes(4).toString('hex')}_${randomBytes(24).toString('base64url')}`
      entries.set(cloudID, { openid, appid, data, mintedAt: nowSeconds() })
      return cloudID
    },
    resolve(cloudID, caller) {
      const entry = entries.get(cloudID)
      if (!entry) return { errCode: -601005 }
      if (nowSeconds() - entry.mintedAt > TTL_SECONDS) return { errCode: -601006 }
      if (caller.openid !== entry.openid) return { errCode: -601007 }
      return { data: { ...entry.data, watermark: { timestamp: entry.mintedAt, appid: entry.appid } } }
    },
  }
}
