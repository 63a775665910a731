import type { ModuleResponse } from '@page-module/core'

/** What the store knows about a key when a call claims it. */
export type IdempotencyClaim =
  { readonly state: 'claimed' } | { readonly state: 'running' } | { readonly state: 'done'; readonly response: ModuleResponse }

/**
 * Remembers which idempotency keys ran and what they answered. The memory store dedupes within one
 * function instance; a cloud function may run several instances at once, so dedupe across instances
 * needs a shared store (a database collection with the key as `_id` is enough).
 *
 * `partition` names the caller a key belongs to (`defineModule` passes the module and caller). A store that must
 * evict records before their ttl evicts from the largest partition first, so one caller's keys never push out
 * another's; a store that never evicts early may ignore it.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for a run, atomically: `claimed` when this call may run, else what the earlier call left. A claim
   * lasts `ttlMs` (a lease: a run whose instance died frees its key when the lease ends).
   */
  claim(key: string, ttlMs: number, partition?: string): Promise<IdempotencyClaim>
  /** Records the answer of the run that claimed `key`; later claims get `done` until the ttl passes. */
  complete(key: string, response: ModuleResponse, ttlMs: number, partition?: string): Promise<void>
}

export interface MemoryIdempotencyStoreOptions {
  /** Keys kept at most. Default 10 000. */
  readonly maxEntries?: number
  /** Bytes of recorded answers (their JSON) kept at most. Default 64 MiB. */
  readonly maxBytes?: number
  /** The clock (ms since the epoch); for tests. */
  readonly now?: () => number
}

/** The memory store, with what it holds (for tests and monitoring). */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  stats(): { readonly entries: number; readonly bytes: number }
}

type Entry = { readonly expiresAt: number; readonly response?: ModuleResponse; readonly bytes: number }

const NO_PARTITION = ''

/**
 * An idempotency store in this process's memory (the default). Full (in keys or answer bytes), it drops the oldest
 * record of the partition holding the most, so a busy caller evicts its own records first.
 */
export function createMemoryIdempotencyStore({
  maxEntries = 10_000,
  maxBytes = 64 * 1024 * 1024,
  now = Date.now,
}: MemoryIdempotencyStoreOptions = {}): MemoryIdempotencyStore {
  // Each partition's entries in insertion order; a partition's size and bytes next to them.
  const partitions = new Map<string, { entries: Map<string, Entry>; bytes: number }>()
  const partitionOfKey = new Map<string, string>()
  let totalBytes = 0
  let nextSweepAt = 0

  function remove(key: string): void {
    const name = partitionOfKey.get(key)
    if (name === undefined) return
    const partition = partitions.get(name)!
    const entry = partition.entries.get(key)!
    partition.entries.delete(key)
    partition.bytes -= entry.bytes
    totalBytes -= entry.bytes
    partitionOfKey.delete(key)
    if (partition.entries.size === 0) partitions.delete(name)
  }

  function insert(key: string, name: string, entry: Entry): void {
    remove(key)
    let partition = partitions.get(name)
    if (partition === undefined) partitions.set(name, (partition = { entries: new Map(), bytes: 0 }))
    partition.entries.set(key, entry)
    partition.bytes += entry.bytes
    totalBytes += entry.bytes
    partitionOfKey.set(key, name)
  }

  const full = (incomingBytes: number) => partitionOfKey.size >= maxEntries || totalBytes + incomingBytes > maxBytes

  function makeRoom(incomingBytes: number): void {
    if (!full(incomingBytes)) return
    // Expired records go first; the sweep runs at most once a second, so a full store stays cheap per claim.
    const time = now()
    if (time >= nextSweepAt) {
      nextSweepAt = time + 1000
      for (const partition of [...partitions.values()])
        for (const [key, entry] of [...partition.entries]) if (entry.expiresAt <= time) remove(key)
    }
    while (partitionOfKey.size > 0 && full(incomingBytes)) {
      const byBytes = totalBytes + incomingBytes > maxBytes
      let largest: Map<string, Entry> | undefined
      let largestSize = -1
      for (const partition of partitions.values()) {
        const size = byBytes ? partition.bytes : partition.entries.size
        if (size > largestSize) [largest, largestSize] = [partition.entries, size]
      }
      remove(largest!.keys().next().value as string)
    }
  }

  return {
    async claim(key, ttlMs, partition = NO_PARTITION) {
      const name = partitionOfKey.get(key)
      const entry = name === undefined ? undefined : partitions.get(name)?.entries.get(key)
      if (entry && entry.expiresAt > now()) return entry.response ? { state: 'done', response: entry.response } : { state: 'running' }
      makeRoom(0)
      insert(key, partition, { expiresAt: now() + ttlMs, bytes: 0 })
      return { state: 'claimed' }
    },
    async complete(key, response, ttlMs, partition = NO_PARTITION) {
      const bytes = 2 * JSON.stringify(response).length
      remove(key)
      // An answer larger than the whole budget is not kept: a retry runs again rather than the process running out of memory.
      if (bytes > maxBytes) return
      makeRoom(bytes)
      insert(key, partition, { expiresAt: now() + ttlMs, response, bytes })
    },
    stats: () => ({ entries: partitionOfKey.size, bytes: totalBytes }),
  }
}
