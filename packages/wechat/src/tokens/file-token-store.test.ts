import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tokenStoreContract } from '../../test/token-store-contract'
import { tryLockFile } from './file-lock'
import { createFileTokenStore } from './file-token-store'

const folder = mkdtempSync(path.join(tmpdir(), 'page-module-file-store-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let count = 0

/** Makes a file look `ms` older on the file system's clock, as if it had been written that long ago. */
function age(file: string, ms: number): void {
  const { mtimeMs } = statSync(file)
  const then = new Date(mtimeMs - ms)
  utimesSync(file, then, then)
}

describe('createFileTokenStore', () => {
  tokenStoreContract(async () => {
    count += 1
    const file = path.join(folder, `tokens-${count}.json`)
    return {
      store: createFileTokenStore(file),
      passLockTtl: async (ttlMs) => {
        for (const name of readdirSync(folder))
          if (name.startsWith(`tokens-${count}.json.`) && name.endsWith('lock')) age(path.join(folder, name), ttlMs + 1)
      },
    }
  })

  it('leaves no temporary or lock file behind', async () => {
    const file = path.join(folder, 'clean.json')
    const store = createFileTokenStore(file)
    await store.compareAndSet('wxa', { accessToken: 'T1', obtainedAt: 1, expiresAt: 2 }, 0)
    await store.expire('wxa', 'T1')
    const lock = await store.acquireLock('wxa', 1000)
    await lock?.release()
    expect(readdirSync(folder).filter((name) => name.startsWith('clean.json'))).toEqual(['clean.json'])
  })

  it('takes over a lock file its holder left half-written once it is older than the ttl', async () => {
    const file = path.join(folder, 'half.json')
    const store = createFileTokenStore(file)
    writeFileSync(`${file}.wxa.fetch-lock`, '')
    expect(await store.acquireLock('wxa', 1000)).toBeUndefined()
    age(`${file}.wxa.fetch-lock`, 2000)
    const lock = await store.acquireLock('wxa', 1000)
    expect(lock).toBeDefined()
    await lock?.release()
  })

  it("judges a lock by the file system's clock, not by what its holder's clock wrote in it", async () => {
    const file = path.join(folder, 'skew.json')
    // Written just now by a process whose clock runs 20 s behind: by its own numbers the lock expired 5 s ago.
    writeFileSync(`${file}.wxa.fetch-lock`, JSON.stringify({ owner: 'behind', expiresAt: Date.now() - 20_000 + 15_000 }))
    expect(await createFileTokenStore(file).acquireLock('wxa', 15_000)).toBeUndefined()
  })

  it('tells a holder that stalled past the ttl that it lost the lock, so it does not write', async () => {
    const lockPath = path.join(folder, 'stall.json.lock')
    const stalled = await tryLockFile(lockPath, 5000)
    age(lockPath, 6000)
    const next = await tryLockFile(lockPath, 5000)
    expect(next).toBeDefined()
    expect(await stalled!.isHeld()).toBe(false)
    expect(await next!.isHeld()).toBe(true)
    await stalled!.release()
    expect(await next!.isHeld()).toBe(true)
    await next!.release()
  })

  it('reads an empty or broken token file as empty and repairs it with the next write', async () => {
    for (const [name, text] of [
      ['empty.json', ''],
      ['broken.json', '{"wxa": {"accessT'],
      ['array.json', '[]'],
    ]) {
      const file = path.join(folder, name!)
      writeFileSync(file, text!)
      const store = createFileTokenStore(file)
      expect(await store.get('wxa')).toBeUndefined()
      expect((await store.compareAndSet('wxa', { accessToken: 'T1', obtainedAt: 1, expiresAt: 2 }, 0)).written).toBe(true)
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ wxa: { accessToken: 'T1', version: 1 } })
    }
  })

  it('creates the token file and lock files readable by their owner only (0600)', async () => {
    const file = path.join(folder, 'private.json')
    const store = createFileTokenStore(file)
    await store.compareAndSet('wxa', { accessToken: 'T1', obtainedAt: 1, expiresAt: 2 }, 0)
    const lock = await store.acquireLock('wxa', 10_000)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(`${file}.wxa.fetch-lock`).mode & 0o777).toBe(0o600)
    await lock?.release()
  })
})
