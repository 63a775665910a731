import { DatabaseFault, FAULT_ADMIN_CODES } from '../../database/database-fault'
import type { DocumentDatabase, MongoObject } from '../../database/document-database'
import type { AdminAction } from '../admin/admin-handler'
import { parseSdkEjson, stringifySdkEjson } from './sdk-ejson'

const MAX_LIMIT = 1000
const DEFAULT_SDK_LIMIT = 100
const TRANSACTION_ACTIONS = [
  'database.startTransaction',
  'database.commitTransaction',
  'database.abortTransaction',
  'database.getInTransaction',
  'database.updateDocInTransaction',
  'database.deleteDocInTransaction',
]

/**
 * CloudBase's `/admin` `database.*` actions as `@cloudbase/database` (inside `@cloudbase/node-sdk` and
 * `wx-server-sdk`) sends them: EJSON strings in, `{ requestId, data }` out, over the emulator's document database.
 */
export function createDatabaseActions(database: DocumentDatabase, now: () => number = Date.now): Map<string, AdminAction> {
  const read = (body: Readonly<Record<string, unknown>>, field: string): unknown =>
    body[field] === undefined || body[field] === '' ? undefined : parseSdkEjson(body[field], now, field)
  const filterOf = (body: Readonly<Record<string, unknown>>) => asObject(read(body, 'query') ?? {}, 'query')

  const handlers: Record<string, (body: Readonly<Record<string, unknown>>) => object> = {
    'database.addCollection': (body) => {
      database.createCollection(collectionOf(body))
      return {}
    },
    'database.getDocument': (body) => {
      const name = collectionOf(body)
      const filter = filterOf(body)
      const sort = sortOf(read(body, 'order'))
      const offset = countOf(body.offset, 0, Number.MAX_SAFE_INTEGER, 'offset')
      const limit = countOf(body.limit, DEFAULT_SDK_LIMIT, MAX_LIMIT, 'limit')
      const projection = read(body, 'projection') as MongoObject | undefined
      const list = database.find(name, { filter, sort, skip: offset, limit, ...(projection ? { projection } : {}) })
      return { list: list.map(stringifySdkEjson), offset, limit, total: database.count(name, filter) }
    },
    'database.calculateDocument': (body) => ({ total: database.count(collectionOf(body), filterOf(body)) }),
    'database.insertDocument': (body) => {
      if (!Array.isArray(body.data) || body.data.length === 0) throw new DatabaseFault('INVALID', 'data must be a non-empty list')
      const records = body.data.map((item, index) => asObject(parseSdkEjson(item, now, `data[${index}]`), 'data'))
      return { insertedIds: database.insert(collectionOf(body), records) }
    },
    'database.modifyDocument': (body) => {
      const name = collectionOf(body)
      const filter = filterOf(body)
      const data = asObject(read(body, 'data'), 'data')
      const upsert = body.upsert === true
      if (body.merge === false) {
        // doc(id).set(data): the record is replaced by data.
        if (typeof filter._id !== 'string') throw new DatabaseFault('INVALID', 'a replace (merge: false) needs query { _id }')
        const outcome = database.replace(name, filter._id, data, { upsert })
        return { updated: outcome.modified, ...(outcome.upsertedId ? { upsert_id: outcome.upsertedId } : {}) }
      }
      const outcome = database.update(name, filter, data, { multi: body.multi !== false, upsert })
      return { updated: outcome.modified, ...(outcome.upsertedId ? { upsert_id: outcome.upsertedId } : {}) }
    },
    'database.modifyAndReturnDoc': (body) => {
      const name = collectionOf(body)
      const filter = filterOf(body)
      const [target] = database.find(name, { filter, limit: 1 })
      if (target === undefined) return { updated: 0, doc: null }
      const outcome = database.update(name, { _id: target._id }, asObject(read(body, 'data'), 'data'), { multi: false })
      const [doc] = database.find(name, { filter: { _id: target._id } })
      return { updated: outcome.modified, doc: doc === undefined ? null : stringifySdkEjson(doc) }
    },
    'database.removeDocument': (body) => ({
      deleted: database.remove(collectionOf(body), filterOf(body), { multi: body.multi !== false }),
    }),
    'database.aggregateDocuments': (body) => {
      if (!Array.isArray(body.stages)) throw new DatabaseFault('INVALID', 'stages must be a list')
      const pipeline = body.stages.map((stage: { stageKey?: unknown; stageValue?: unknown }, index) => {
        if (typeof stage?.stageKey !== 'string' || !stage.stageKey.startsWith('$'))
          throw new DatabaseFault('INVALID', `stage ${index} has no stageKey`)
        return { [stage.stageKey]: parseSdkEjson(stage.stageValue, now, `stages[${index}]`) }
      })
      return { list: database.aggregate(collectionOf(body), pipeline).map(stringifySdkEjson) }
    },
  }

  const actions = new Map<string, AdminAction>()
  for (const [name, handle] of Object.entries(handlers)) {
    actions.set(name, async ({ body, requestId }) => {
      try {
        return { requestId, data: handle(body) }
      } catch (error) {
        if (!(error instanceof DatabaseFault)) throw error
        return { code: FAULT_ADMIN_CODES[error.kind], message: error.message, requestId }
      }
    })
  }
  for (const name of TRANSACTION_ACTIONS) {
    actions.set(name, async ({ requestId }) => ({
      code: FAULT_ADMIN_CODES.UNSUPPORTED,
      message: `${name}: transactions are not supported by the emulator — run the writes without a transaction locally`,
      requestId,
    }))
  }
  return actions
}

/** The SDKs send `order` as `{ field: 1 | -1 }`; older ones as `[{ field, direction }]`. */
function sortOf(order: unknown): Array<[string, 1 | -1]> {
  if (order === undefined) return []
  const pairs = Array.isArray(order)
    ? order.map((item: { field?: unknown; direction?: unknown }) => [
        item?.field,
        item?.direction === 'desc' ? -1 : item?.direction === 'asc' ? 1 : undefined,
      ])
    : typeof order === 'object' && order !== null
      ? Object.entries(order)
      : undefined
  if (pairs === undefined) throw new DatabaseFault('INVALID', 'order must be { field: 1 | -1 }')
  return pairs.map(([field, direction]) => {
    if (typeof field !== 'string' || (direction !== 1 && direction !== -1))
      throw new DatabaseFault('INVALID', 'order must be { field: 1 | -1 }')
    return [field, direction]
  })
}

function collectionOf(body: Readonly<Record<string, unknown>>): string {
  if (typeof body.collectionName !== 'string' || body.collectionName === '')
    throw new DatabaseFault('INVALID', 'collectionName is required')
  return body.collectionName
}

function asObject(value: unknown, field: string): MongoObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DatabaseFault('INVALID', `${field} must be an object`)
  return value as MongoObject
}

function countOf(value: unknown, fallback: number, max: number, field: string): number {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new DatabaseFault('INVALID', `${field} must be a non-negative integer`)
  return Math.min(value, max)
}
