import { randomBytes } from 'node:crypto'
import { Aggregator, Query, update as applyModifier } from 'mingo'
import type { AnyObject, Options } from 'mingo/types'
import { COLLECTION_NAME, openCollectionFiles, type StoredRecord } from './collection-files'
import { collectionNotFound, DatabaseFault } from './database-fault'

export type { StoredRecord } from './collection-files'

/** A MongoDB filter, modifier or pipeline stage, as mingo takes it. */
export type MongoObject = Record<string, unknown>

export interface FindOptions {
  readonly filter?: MongoObject
  readonly sort?: ReadonlyArray<readonly [field: string, direction: 1 | -1]>
  readonly skip?: number
  readonly limit?: number
  readonly projection?: MongoObject
}

export interface WriteOutcome {
  readonly matched: number
  readonly modified: number
  /** Set when an upsert created the record. */
  readonly upsertedId?: string
}

export interface CollectionSummary {
  readonly name: string
  readonly count: number
  /** Bytes of the stored JSON. */
  readonly size: number
}

/**
 * The emulator's document database: MongoDB semantics from mingo (queries, update operators, aggregation), each
 * collection kept in memory and written through to its file. One instance serves the WeChat HTTP API and `/admin`.
 */
export interface DocumentDatabase {
  readonly folder: string
  hasCollection(name: string): boolean
  createCollection(name: string): void
  dropCollection(name: string): void
  listCollections(): CollectionSummary[]
  find(name: string, options?: FindOptions): StoredRecord[]
  count(name: string, filter?: MongoObject): number
  /** Adds the records (an `_id` is generated where none is given) and resolves with their ids. */
  insert(name: string, records: readonly MongoObject[]): string[]
  update(
    name: string,
    filter: MongoObject,
    modifier: MongoObject,
    options: { readonly multi: boolean; readonly upsert?: boolean },
  ): WriteOutcome
  /** Replaces the record with this `_id` (keeping the id), or creates it when `upsert`. */
  replace(name: string, id: string, record: MongoObject, options: { readonly upsert: boolean }): WriteOutcome
  remove(name: string, filter: MongoObject, options: { readonly multi: boolean }): number
  aggregate(name: string, pipeline: readonly MongoObject[]): AnyObject[]
  /** For tests: creates the collection if needed and adds the records. */
  seed(name: string, records: readonly MongoObject[]): string[]
  /** For tests: a copy of every record of the collection, in stored order. */
  read(name: string): StoredRecord[]
  /** Drops every collection, on disk too. */
  clear(): void
}

/** The most one read may answer, as CloudBase limits it (`-602001` above). */
export const MAX_RESULT_BYTES = 1024 * 1024
const GEO_OPERATORS = new Set(['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$geoNear'])

export function openDocumentDatabase(folder: string): DocumentDatabase {
  const files = openCollectionFiles(folder)
  const collections = files.loadAll()
  const options: Partial<Options> = {
    // $where, $function and $accumulator would run code given by the caller.
    scriptEnabled: false,
    collectionResolver: (name: string) => (collections.get(name) ?? []) as AnyObject[],
  }

  function records(name: string): StoredRecord[] {
    const found = collections.get(name)
    if (found === undefined) throw collectionNotFound(name)
    return found
  }

  function matcher(filter: MongoObject | undefined): Query {
    refuseGeo(filter)
    return run(() => new Query((filter ?? {}) as AnyObject, options))
  }

  function persist(name: string): void {
    files.save(name, records(name))
  }

  function insertInto(name: string, into: StoredRecord[], additions: readonly MongoObject[]): string[] {
    const ids = new Set(into.map((record) => record._id))
    const prepared = additions.map((addition) => {
      const record = structuredClone(addition) as StoredRecord
      if (record._id === undefined) record._id = randomBytes(16).toString('hex')
      if (typeof record._id !== 'string' || record._id === '') throw new DatabaseFault('INVALID', '_id must be a non-empty string')
      if (ids.has(record._id)) throw new DatabaseFault('DUPLICATE_ID', `duplicate key: _id ${JSON.stringify(record._id)} already exists`)
      ids.add(record._id)
      return record
    })
    into.push(...prepared)
    return prepared.map((record) => record._id)
  }

  const database: DocumentDatabase = {
    folder,
    hasCollection: (name) => collections.has(name),
    createCollection(name) {
      assertCollectionName(name)
      if (collections.has(name)) throw new DatabaseFault('COLLECTION_EXISTS', `collection ${name} already exists`)
      collections.set(name, [])
      persist(name)
    },
    dropCollection(name) {
      records(name)
      collections.delete(name)
      files.delete(name)
    },
    listCollections() {
      return [...collections.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, stored]) => ({ name, count: stored.length, size: Buffer.byteLength(JSON.stringify(stored)) }))
    },
    find(name, { filter, sort, skip, limit, projection } = {}) {
      const query = matcher(filter)
      let cursor = run(() => query.find(records(name) as AnyObject[], projection as AnyObject | undefined))
      if (sort !== undefined && sort.length > 0) cursor = cursor.sort(Object.fromEntries(sort) as Record<string, 1 | -1>)
      if (skip !== undefined && skip > 0) cursor = cursor.skip(skip)
      if (limit !== undefined) cursor = cursor.limit(limit)
      const found = run(() => cursor.all()).map((record) => structuredClone(record)) as StoredRecord[]
      if (Buffer.byteLength(JSON.stringify(found)) > MAX_RESULT_BYTES) {
        throw new DatabaseFault('TOO_LARGE', 'the result is larger than 1 MB; read fewer records or fewer fields')
      }
      return found
    },
    count(name, filter) {
      const query = matcher(filter)
      return records(name).filter((record) => query.test(record)).length
    },
    insert(name, additions) {
      const ids = insertInto(name, records(name), additions)
      persist(name)
      return ids
    },
    update(name, filter, modifier, { multi, upsert = false }) {
      const stored = records(name)
      const query = matcher(filter)
      assertModifier(modifier)
      let matched = 0
      let modified = 0
      const working = stored.map((record) => record)
      for (const [index, record] of working.entries()) {
        if (!query.test(record)) continue
        matched += 1
        const copy = structuredClone(record)
        const changed = run(() => applyModifier(copy, modifier as never, undefined, undefined, { queryOptions: options }))
        if (changed.length > 0) {
          if (copy._id !== record._id) throw new DatabaseFault('INVALID', 'an update cannot change _id')
          stored[index] = copy
          modified += 1
        }
        if (!multi) break
      }
      if (matched === 0 && upsert) {
        const seed: MongoObject = typeof filter._id === 'string' ? { _id: filter._id } : {}
        run(() => applyModifier(seed as AnyObject, modifier as never, undefined, undefined, { queryOptions: options }))
        const [upsertedId] = insertInto(name, stored, [seed])
        persist(name)
        return { matched, modified, upsertedId: upsertedId! }
      }
      if (modified > 0) persist(name)
      return { matched, modified }
    },
    replace(name, id, record, { upsert }) {
      const stored = records(name)
      const index = stored.findIndex((existing) => existing._id === id)
      const replacement = { ...(structuredClone(record) as MongoObject), _id: id } as StoredRecord
      if (index === -1) {
        if (!upsert) return { matched: 0, modified: 0 }
        stored.push(replacement)
        persist(name)
        return { matched: 0, modified: 0, upsertedId: id }
      }
      const changed = JSON.stringify(stored[index]) !== JSON.stringify(replacement)
      stored[index] = replacement
      if (changed) persist(name)
      return { matched: 1, modified: changed ? 1 : 0 }
    },
    remove(name, filter, { multi }) {
      const stored = records(name)
      const query = matcher(filter)
      let removed = 0
      const kept = stored.filter((record) => {
        if ((multi || removed === 0) && query.test(record)) {
          removed += 1
          return false
        }
        return true
      })
      if (removed > 0) {
        collections.set(name, kept)
        persist(name)
      }
      return removed
    },
    aggregate(name, pipeline) {
      for (const stage of pipeline) refuseGeo(stage)
      const aggregator = run(() => new Aggregator(pipeline as AnyObject[], options))
      const result = run(() => aggregator.run(records(name) as AnyObject[])).map((record) => structuredClone(record))
      if (Buffer.byteLength(JSON.stringify(result)) > MAX_RESULT_BYTES) {
        throw new DatabaseFault('TOO_LARGE', 'the aggregation result is larger than 1 MB; add $limit or $project')
      }
      return result
    },
    seed(name, additions) {
      if (!collections.has(name)) database.createCollection(name)
      return database.insert(name, additions)
    },
    read: (name) => structuredClone(records(name)),
    clear() {
      collections.clear()
      files.clear()
    },
  }
  return database
}

function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name)) {
    throw new DatabaseFault('INVALID', `the collection name ${JSON.stringify(name)} is not valid (1 to 128 letters, digits, _ or -)`)
  }
}

function assertModifier(modifier: MongoObject): void {
  const keys = Object.keys(modifier)
  if (keys.length === 0 || keys.some((key) => !key.startsWith('$'))) {
    throw new DatabaseFault('INVALID', 'an update needs update operators ($set, $inc …) only')
  }
}

function refuseGeo(value: unknown): void {
  if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof RegExp) return
  for (const [key, inner] of Object.entries(value)) {
    if (GEO_OPERATORS.has(key)) {
      throw new DatabaseFault(
        'UNSUPPORTED',
        `${key} (a geospatial query) is not supported by the emulator; Geo.Point values are stored and read back`,
      )
    }
    refuseGeo(inner)
  }
}

/** Runs a mingo call; its errors (an unknown operator, a bad argument) become the database's INVALID fault. */
function run<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof DatabaseFault) throw error
    throw new DatabaseFault('INVALID', error instanceof Error ? error.message : String(error))
  }
}
