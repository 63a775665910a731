/** Default for the whole call, retries included: the official node-sdk's default. */
export const DEFAULT_TIMEOUT = 15_000
export const MAX_TIMEOUT = 600_000
/** Retries happen only where safe (see docs/protocol.md), so a small default costs nothing. */
export const DEFAULT_RETRIES = 2
export const MAX_RETRIES = 10

/** Exponential backoff with jitter: about 100, 200, 400… ms, capped at 2 s. */
export function defaultRetryDelay(attempt: number, random: () => number): number {
  return Math.min(2000, 100 * Math.pow(2, attempt - 1)) * (0.5 + random() / 2)
}
