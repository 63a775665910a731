/** Cryptographically secure random bytes; `ready()` resolves once `take` can serve a call (a pool may be filling). */
export interface RandomSource {
  ready(): Promise<void>
  take(length: number): Uint8Array
}

/** `crypto.getRandomValues` (Web Crypto: Node ≥ 18 `webcrypto`, browsers). */
export function webCryptoRandomSource(crypto: { getRandomValues<T extends Uint8Array>(array: T): T }): RandomSource {
  return {
    ready: () => Promise.resolve(),
    take: (length) => crypto.getRandomValues(new Uint8Array(length)),
  }
}

interface WxRandom {
  getRandomValues(options: { length: number; success(result: { randomValues: ArrayBuffer }): void; fail(error: unknown): void }): void
}

const POOL_BYTES = 1024

/**
 * The mini-program's CSPRNG, `wx.getRandomValues` (base library ≥ 2.15.0), which only answers asynchronously:
 * a pool is filled ahead and refilled when half spent, and `ready()` waits for it before a call takes from it.
 */
export function wxRandomSource(wx: WxRandom): RandomSource {
  let pool = new Uint8Array(0)
  let filling: Promise<void> | undefined
  function fill(): Promise<void> {
    if (filling === undefined) {
      filling = new Promise<void>((resolve, reject) => {
        wx.getRandomValues({
          length: POOL_BYTES,
          success(result) {
            const fresh = new Uint8Array(result.randomValues)
            const next = new Uint8Array(pool.length + fresh.length)
            next.set(pool)
            next.set(fresh, pool.length)
            pool = next
            filling = undefined
            resolve()
          },
          fail(error) {
            filling = undefined
            reject(new Error(`wx.getRandomValues failed: ${(error as { errMsg?: string } | null)?.errMsg ?? String(error)}`))
          },
        })
      })
    }
    return filling
  }
  return {
    async ready() {
      while (pool.length < POOL_BYTES / 2) await fill()
    },
    take(length) {
      if (pool.length < length) throw new Error('the random pool is empty — await ready() first')
      const bytes = pool.slice(0, length)
      pool = pool.slice(length)
      if (pool.length < POOL_BYTES / 2) fill().catch(() => undefined)
      return bytes
    },
  }
}
