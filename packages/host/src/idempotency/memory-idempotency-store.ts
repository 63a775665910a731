import type { ModuleResponse } from '@page-module/core'

/** What the store knows about a key when a call claims it. */
export type IdempotencyClaim =
  { readonly state: 'claimed' } | { readonly state: 'running' } | { readonly state: 'done'; readonly response: ModuleResponse }

/**
 * Remembers which idempotency keys ran and what they answered. The memory store dedupes within one
 * function instance; a cloud function may run several instances at once, so dedupe across instances
 * needs a shared store (a database collection with the key as `_id` is enough).
 */
export interface IdempotencyStore {
  /** Claims `key` for a run, atomically: `claimed` when this call may run, else what the earlier call left. */
  claim(key: string, ttlMs: number): Promise<IdempotencyClaim>
  /** Records the answer of the run that claimed `key`; later claims get `done` until the ttl passes. */
  complete(key: string, response: ModuleResponse, ttlMs: number): Promise<void>
}

export interface MemoryIdempotencyStoreOptions {
  /** Keys kept at most; the oldest go first. Default 10 000. */
  readonly maxEntries?: number
  /** The clock (ms since the epoch); for tests. */
  readonly now?: () => number
}

type Entry = { readonly expiresAt: number; readonly response?: ModuleResponse }

/** An idempotency store in this process's memory (the default). */
export function createMemoryIdempotencyStore({
  maxEntries = 10_000,
  now = Date.now,
}: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const entries = new Map<string, Entry>()

  function evict(): void {
    const time = now()
    for (const [key, entry] of entries) if (entry.expiresAt <= time) entries.delete(key)
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value
      if (oldest === undefined) break
      entries.delete(oldest)
    }
  }

  return {
    async claim(key, ttlMs) {
      const entry = entries.get(key)
      if (entry && entry.expiresAt > now()) return entry.response ? { state: 'done', response: entry.response } : { state: 'running' }
      evict()
      entries.set(key, { expiresAt: now() + ttlMs })
      return { state: 'claimed' }
    },
    async complete(key, response, ttlMs) {
      entries.delete(key)
      entries.set(key, { expiresAt: now() + ttlMs, response })
    },
  }
}
