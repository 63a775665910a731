import { describe, expect, it } from 'vitest'
import { measureSmProtectionCost } from './sm-protection-cost.mjs'

describe('measureSmProtectionCost', () => {
  it('runs real protected round trips and reports CPU µs per call for each side', async () => {
    const row = await measureSmProtectionCost({ calls: 5, warmup: 1 })
    expect(row.calls).toBe(5)
    expect(row.dataBytes).toBeGreaterThan(1000)
    for (const side of ['clientSealMicros', 'clientOpenMicros', 'hostOpenMicros', 'hostSealMicros'])
      expect(Number.isInteger(row[side]) && row[side] >= 0).toBe(true)
    // SM2 encryption (client) and decryption (host) are point multiplications: never free.
    expect(row.clientSealMicros).toBeGreaterThan(0)
    expect(row.hostOpenMicros).toBeGreaterThan(0)
    expect(row.totalMicros).toBe(row.clientSealMicros + row.clientOpenMicros + row.hostOpenMicros + row.hostSealMicros)
  })
})
