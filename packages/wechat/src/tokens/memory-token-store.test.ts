import { describe } from 'vitest'
import { tokenStoreContract } from '../../test/token-store-contract'
import { createMemoryTokenStore } from './memory-token-store'

describe('createMemoryTokenStore', () => {
  tokenStoreContract(async () => {
    let time = 1_000_000
    return {
      store: createMemoryTokenStore({ now: () => time }),
      passLockTtl: async (ttlMs) => {
        time += ttlMs + 1
      },
    }
  })
})
