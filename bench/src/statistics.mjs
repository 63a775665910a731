/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value with at least `fraction` of
 * the values at or below it. NaN for no values.
 */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil(fraction * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

/** The middle value (the lower one of an even count): what "median of N runs" means in every table. */
export function median(values) {
  return percentile(
    [...values].sort((left, right) => left - right),
    0.5,
  )
}

/**
 * The median of the per-round ratios of calls/s: contenders take turns, so the rounds of one cycle share the
 * machine's mood, and a busy spell that falls on one round moves one ratio instead of the sums. An even count
 * takes the lower middle, the less flattering one.
 */
export function roundByRoundRatio(result, baseline) {
  return median(result.roundRates.map((rate, round) => rate / baseline.roundRates[round]))
}
