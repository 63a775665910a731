import { expect, it } from 'vitest'
import type { AccessToken, TokenStore } from '../src/tokens/token-store'

export interface StoreUnderTest {
  readonly store: TokenStore
  /** Lets a lock of `ttlMs` expire: advances an injected clock, or waits on a real one. */
  passLockTtl(ttlMs: number): Promise<void>
}

const HOUR = 3_600_000

function tokenOf(name: string, obtainedAt: number): AccessToken {
  return { accessToken: name, obtainedAt, expiresAt: obtainedAt + 2 * HOUR }
}

/** The behaviour every TokenStore must have; each store's test file runs it. */
export function tokenStoreContract(setup: () => Promise<StoreUnderTest>): void {
  it('answers undefined for an appid it never saw, and refuses appids unfit for keys', async () => {
    const { store } = await setup()
    expect(await store.get('wx-unknown')).toBeUndefined()
    await expect(store.get('wx/../etc')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
  })

  it('writes version 1 over nothing, then only over the version the writer read', async () => {
    const { store } = await setup()
    const first = await store.compareAndSet('wxa', tokenOf('T1', 1000), 0)
    expect(first).toEqual({ written: true, current: { ...tokenOf('T1', 1000), version: 1 } })
    const second = await store.compareAndSet('wxa', tokenOf('T2', 2000), 1)
    expect(second.written).toBe(true)
    expect(await store.get('wxa')).toEqual({ ...tokenOf('T2', 2000), version: 2 })
  })

  it('never lets an older token written late replace a newer one', async () => {
    const { store } = await setup()
    await store.compareAndSet('wxa', tokenOf('T1', 1000), 0)
    const readByBoth = (await store.get('wxa'))!.version
    // B fetched after A but wrote first; A's write arrives late with the version it read.
    expect((await store.compareAndSet('wxa', tokenOf('T-B', 3000), readByBoth)).written).toBe(true)
    const late = await store.compareAndSet('wxa', tokenOf('T-A', 2000), readByBoth)
    expect(late).toEqual({ written: false, current: { ...tokenOf('T-B', 3000), version: readByBoth + 1 } })
    // A writer that read nothing at all is late too once something is stored.
    expect((await store.compareAndSet('wxa', tokenOf('T-0', 500), 0)).written).toBe(false)
    expect((await store.get('wxa'))?.accessToken).toBe('T-B')
  })

  it('expires only the token that failed, keeping the version so late writers stay refused', async () => {
    const { store } = await setup()
    await store.compareAndSet('wxa', tokenOf('T1', 1000), 0)
    await store.compareAndSet('wxa', tokenOf('T2', 2000), 1)
    expect(await store.expire('wxa', 'T1')).toBe(false)
    expect(await store.get('wxa')).toEqual({ ...tokenOf('T2', 2000), version: 2 })
    expect(await store.expire('wxa', 'T2')).toBe(true)
    expect(await store.expire('wxa', 'T2')).toBe(false)
    expect(await store.get('wxa')).toEqual({ accessToken: 'T2', obtainedAt: 2000, expiresAt: 0, version: 2 })
    expect((await store.compareAndSet('wxa', tokenOf('late', 1500), 1)).written).toBe(false)
    expect((await store.compareAndSet('wxa', tokenOf('T3', 3000), 2)).current).toEqual({ ...tokenOf('T3', 3000), version: 3 })
  })

  it('keeps appids apart', async () => {
    const { store } = await setup()
    await store.compareAndSet('wxa', tokenOf('A1', 1000), 0)
    await store.compareAndSet('wxb', tokenOf('B1', 1000), 0)
    expect(await store.expire('wxb', 'A1')).toBe(false)
    expect((await store.get('wxa'))?.accessToken).toBe('A1')
    expect((await store.get('wxb'))?.accessToken).toBe('B1')
    const lock = await store.acquireLock('wxa', 10_000)
    expect(await store.acquireLock('wxb', 10_000)).toBeDefined()
    await lock?.release()
  })

  it('lets one holder at a time take the fetch lock, and frees it on release', async () => {
    const { store } = await setup()
    const lock = await store.acquireLock('wxa', 10_000)
    expect(lock).toBeDefined()
    expect(await store.acquireLock('wxa', 10_000)).toBeUndefined()
    await lock!.release()
    const next = await store.acquireLock('wxa', 10_000)
    expect(next).toBeDefined()
    await next!.release()
  })

  it('frees a lock whose holder died once its ttl passes, and a late release cannot free the next holder', async () => {
    const { store, passLockTtl } = await setup()
    const dead = await store.acquireLock('wxa', 200)
    expect(dead).toBeDefined()
    await passLockTtl(200)
    const next = await store.acquireLock('wxa', 60_000)
    expect(next).toBeDefined()
    await dead!.release()
    expect(await store.acquireLock('wxa', 60_000)).toBeUndefined()
    await next!.release()
  })
}
