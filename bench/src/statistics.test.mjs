import { describe, expect, it } from 'vitest'
import { median, percentile, roundByRoundRatio } from './statistics.mjs'

describe('bench statistics', () => {
  it('takes nearest-rank percentiles of sorted values', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    expect(percentile(sorted, 0.5)).toBe(5)
    expect(percentile(sorted, 0.99)).toBe(10)
    expect(percentile(sorted, 0.01)).toBe(1)
    expect(percentile([], 0.5)).toBeNaN()
  })

  it('takes the lower middle of an even count as the median, without reordering its input', () => {
    const values = [9, 1, 5, 3]
    expect(median(values)).toBe(3)
    expect(median([4, 2, 8])).toBe(4)
    expect(values).toEqual([9, 1, 5, 3])
  })

  it('compares calls/s round by round, so one busy round moves one ratio and not the whole', () => {
    const baseline = { roundRates: [1000, 1000, 1000, 200] }
    const ours = { roundRates: [900, 950, 920, 1000] }
    // Summed, the busy last round of the baseline would make ours 118% of it.
    expect(roundByRoundRatio(ours, baseline)).toBeCloseTo(0.92)
  })
})
