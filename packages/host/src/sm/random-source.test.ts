import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { wxRandomSource } from './random-source'

/** wx.getRandomValues: asynchronous, answers through success/fail. */
function fakeWx(options: { fail?: boolean } = {}) {
  const requests: number[] = []
  return {
    requests,
    getRandomValues(request: { length: number; success(result: { randomValues: ArrayBuffer }): void; fail(error: unknown): void }) {
      requests.push(request.length)
      setTimeout(() => {
        if (options.fail) request.fail({ errMsg: 'getRandomValues:fail not supported' })
        else request.success({ randomValues: Uint8Array.from(randomBytes(request.length)).buffer })
      }, 1)
    },
  }
}

describe('wxRandomSource', () => {
  it('serves nothing before the pool is filled: take() throws until ready() resolves', async () => {
    const source = wxRandomSource(fakeWx())
    expect(() => source.take(16)).toThrow(/await ready\(\) first/)
    await source.ready()
    expect(source.take(32)).toHaveLength(32)
  })

  it('refills in the background once half is spent, and ready() waits for the refill when needed', async () => {
    const wx = fakeWx()
    const source = wxRandomSource(wx)
    await source.ready()
    const taken = [] as Uint8Array[]
    for (let index = 0; index < 20; index++) {
      await source.ready()
      taken.push(source.take(48))
    }
    expect(wx.requests.length).toBeGreaterThan(1)
    expect(new Set(taken.map((bytes) => Buffer.from(bytes).toString('hex'))).size).toBe(20)
  })

  it('reports a failing wx.getRandomValues through ready()', async () => {
    await expect(wxRandomSource(fakeWx({ fail: true })).ready()).rejects.toThrow(/wx.getRandomValues failed: getRandomValues:fail/)
  })
})
