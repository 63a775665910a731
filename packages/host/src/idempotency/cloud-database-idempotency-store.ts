import { createHash, randomBytes } from 'node:crypto'
import type { ModuleResponse } from '@page-module/core'
import type { IdempotencyClaim, IdempotencyStore } from './memory-idempotency-store'

/** What the store uses of a database: `cloud.database()` of wx-server-sdk and `createCloudDatabase()` both fit. */
export interface IdempotencyDatabase {
  collection(name: string): {
    add(options: { data: Record<string, unknown> }): Promise<unknown>
    where(query: Record<string, unknown>): {
      get(): Promise<{ data: unknown[] }>
      update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
      remove(): Promise<unknown>
    }
  }
  readonly command: { lt(value: number): unknown }
  createCollection?(name: string): Promise<unknown>
}

export interface CloudDatabaseIdempotencyStoreOptions {
  /** The database; default `cloud.database()` of `wx-server-sdk`, initialised for the function's own env. */
  readonly database?: IdempotencyDatabase | (() => Promise<IdempotencyDatabase>)
  /** The collection of records, created on first use if absent. Default `page_module_idempotency`. */
  readonly collection?: string
  /**
   * How long a running claim holds before another instance may take it over (its instance died). Set it above
   * the function's timeout. Default 10 minutes.
   */
  readonly leaseMs?: number
  /** Answers larger than this (JSON bytes) are kept as `{ code, msg }` only. Default 64 KiB. */
  readonly maxResponseBytes?: number
  /** Every this many completed calls, an instance removes the expired records. Default 100. */
  readonly sweepEvery?: number
  /** The clock (ms since the epoch); for tests. */
  readonly now?: () => number
}

interface IdempotencyRecord {
  readonly _id: string
  readonly state: 'running' | 'done'
  readonly leaseUntil: number
  readonly expiresAt: number
  readonly version: number
  readonly owner: string
  readonly response?: string
}

const DEFAULT_COLLECTION = 'page_module_idempotency'
const DEFAULT_LEASE_MS = 10 * 60_000
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024
const DEFAULT_SWEEP_EVERY = 100
const CLAIM_ATTEMPTS = 3

/**
 * Idempotency records in the cloud database, shared by every instance of the function: a key's record is created
 * only if absent (its `_id` is a hash of the key), a running claim has a lease so a dead instance's claim is taken
 * over, and stored answers are bounded in size.
 */
export function createCloudDatabaseIdempotencyStore(options: CloudDatabaseIdempotencyStoreOptions = {}): IdempotencyStore {
  const collectionName = options.collection ?? DEFAULT_COLLECTION
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const now = options.now ?? Date.now
  const sweepEvery = options.sweepEvery ?? DEFAULT_SWEEP_EVERY
  let completed = 0
  const owner = randomBytes(8).toString('hex')
  let database: Promise<IdempotencyDatabase> | undefined
  let collectionCreated = false

  const open = () => {
    const given = options.database
    database ??= (typeof given === 'function' ? given() : given ? Promise.resolve(given) : loadWxServerSdkDatabase()).catch(
      (error: unknown) => {
        database = undefined
        throw error
      },
    )
    return database
  }

  async function read(id: string): Promise<IdempotencyRecord | undefined> {
    const { data } = await (await open()).collection(collectionName).where({ _id: id }).get()
    return data[0] as IdempotencyRecord | undefined
  }

  async function createCollectionOnce(error: unknown): Promise<void> {
    const db = await open()
    if (collectionCreated || !isMissingCollection(error) || db.createCollection === undefined) throw error
    collectionCreated = true
    await db.createCollection(collectionName).catch(() => {
      // Another instance created it first.
    })
  }

  return {
    async claim(key, ttlMs) {
      const id = recordIdOf(key)
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
        const time = now()
        const running = { state: 'running', leaseUntil: time + leaseMs, expiresAt: time + ttlMs, owner }
        const collection = (await open()).collection(collectionName)
        try {
          await collection.add({ data: { _id: id, version: 1, ...running } })
          return { state: 'claimed' }
        } catch (addError) {
          let existing: IdempotencyRecord | undefined
          try {
            existing = await read(id)
          } catch (readError) {
            await createCollectionOnce(readError)
            continue
          }
          if (existing === undefined) {
            await createCollectionOnce(addError)
            continue
          }
          const answer = standing(existing, time)
          if (answer) return answer
          // Expired, or its instance's lease ran out: take it over unless another instance just did.
          const { stats } = await collection
            .where({ _id: id, version: existing.version })
            .update({ data: { ...running, version: existing.version + 1, response: '' } })
          if (stats.updated === 1) return { state: 'claimed' }
        }
      }
      return { state: 'running' }
    },
    async complete(key, response, ttlMs) {
      const kept = boundedResponse(response, maxResponseBytes)
      const db = await open()
      const collection = db.collection(collectionName)
      await collection
        .where({ _id: recordIdOf(key) })
        .update({ data: { state: 'done', response: kept, leaseUntil: 0, expiresAt: now() + ttlMs } })
      completed += 1
      if (completed % sweepEvery === 0) {
        // Expired records answer nothing; removing them keeps the collection as small as the keys in use.
        await collection
          .where({ expiresAt: db.command.lt(now()) })
          .remove()
          .catch(() => {})
      }
    },
  }
}

/** The record's `_id`: a hash, so any key (caller, module, method and the caller's key) makes a valid, fixed-size id. */
export function recordIdOf(key: string): string {
  return `idem-${createHash('sha256').update(key).digest('hex')}`
}

function standing(record: IdempotencyRecord, time: number): IdempotencyClaim | undefined {
  if (record.expiresAt <= time) return undefined
  if (record.state === 'done' && typeof record.response === 'string' && record.response !== '') {
    return { state: 'done', response: JSON.parse(record.response) as ModuleResponse }
  }
  if (record.state === 'running' && record.leaseUntil > time) return { state: 'running' }
  return undefined
}

function boundedResponse(response: ModuleResponse, maxBytes: number): string {
  const json = JSON.stringify(response)
  const bytes = Buffer.byteLength(json)
  if (bytes <= maxBytes) return json
  const msg =
    `the method ran once; its answer (${bytes} bytes) was larger than the idempotency store keeps (${maxBytes}), ` +
    `so a retry gets this note`
  return JSON.stringify({ code: response.code, msg, requestId: response.requestId })
}

function isMissingCollection(error: unknown): boolean {
  const { errCode, code, message } = (error ?? {}) as { errCode?: unknown; code?: unknown; message?: unknown }
  return (
    errCode === -502005 ||
    code === 'DATABASE_COLLECTION_NOT_EXIST' ||
    code === 'DATABASE_COLLECTION_NOT_FOUND' ||
    (typeof message === 'string' && /COLLECTION_NOT_EXIST|-502005/.test(message))
  )
}

interface WxServerSdk {
  DYNAMIC_CURRENT_ENV: unknown
  init(config: { env: unknown }): void
  database(): IdempotencyDatabase
}

async function loadWxServerSdkDatabase(): Promise<IdempotencyDatabase> {
  let loaded: unknown
  try {
    loaded = await import('wx-server-sdk')
  } catch (error) {
    throw new Error(`the cloud database idempotency store needs wx-server-sdk in the function's dependencies (${(error as Error).message})`)
  }
  const cloud = ((loaded as { default?: unknown }).default ?? loaded) as WxServerSdk
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
  return cloud.database()
}
