import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tokenStoreContract } from '../../test/token-store-contract'
import { createFileTokenStore } from './file-token-store'

const folder = mkdtempSync(path.join(tmpdir(), 'page-module-file-store-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let count = 0

describe('createFileTokenStore', () => {
  tokenStoreContract(async () => {
    let time = 1_000_000
    count += 1
    return {
      store: createFileTokenStore(path.join(folder, `tokens-${count}.json`), { now: () => time }),
      passLockTtl: async (ttlMs) => {
        time += ttlMs + 1
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
    let time = Date.now()
    const store = createFileTokenStore(file, { now: () => time })
    writeFileSync(`${file}.wxa.fetch-lock`, '')
    expect(await store.acquireLock('wxa', 1000)).toBeUndefined()
    time += 2000
    const lock = await store.acquireLock('wxa', 1000)
    expect(lock).toBeDefined()
    await lock?.release()
  })
})
