import { readJsonBody } from '../../http-json'
import { DatabaseFault, FAULT_ERRCODES } from '../../database/database-fault'
import type { DocumentDatabase } from '../../database/document-database'
import type { WeChatApi, WeChatApiCall } from '../wechat-api'
import { weChatReply } from '../wechat-reply'
import { parseStatement, StatementRefused } from './query-statement'
import { runStatement, STATEMENT_ENDPOINTS, type StatementEndpoint } from './run-statement'
import { createSdkTranslator } from './sdk-to-mongo'

/** The errcode for a statement or argument the emulator refuses ("invalid args" in the HTTP API's common table). */
export const INVALID_ARGS_ERRCODE = 40097

export interface DatabaseHttpApiOptions {
  readonly env: string
  readonly database: DocumentDatabase
  /** The clock `db.serverDate()` reads. Default `Date.now`. */
  readonly now?: () => number
}

/** Registers WeChat's `/tcb/database*` endpoints (and `updateindex`) on the WeChat API emulator, over `database`. */
export function mountDatabaseHttpApi(wechat: { serveApi(path: string, api: WeChatApi): void }, options: DatabaseHttpApiOptions): void {
  const translate = createSdkTranslator(options.now ?? Date.now)
  const { database } = options

  const endpoint = (name: string, handle: (body: Record<string, unknown>) => Record<string, unknown>) =>
    wechat.serveApi(`/tcb/${name}`, async (call: WeChatApiCall) => {
      if (call.request.method !== 'POST') return weChatReply(43002, 'require POST method')
      const read = await readJsonBody(call.request)
      if (read.empty) return weChatReply(44002, 'empty post data')
      if (!read.ok || typeof read.value !== 'object' || read.value === null || Array.isArray(read.value)) {
        return weChatReply(47001, 'data format error')
      }
      const body = read.value as Record<string, unknown>
      if (typeof body.env !== 'string' || body.env === '') return weChatReply(40101, 'missing parameter env')
      if (body.env !== options.env) return weChatReply(-501001, `env ${body.env} not found (this emulator serves env ${options.env})`)
      try {
        return { errcode: 0, errmsg: 'ok', ...handle(body) }
      } catch (error) {
        if (error instanceof StatementRefused) return weChatReply(INVALID_ARGS_ERRCODE, `invalid query: ${error.message}`)
        if (error instanceof DatabaseFault) return weChatReply(FAULT_ERRCODES[error.kind], error.message)
        throw error
      }
    })

  for (const name of Object.keys(STATEMENT_ENDPOINTS) as StatementEndpoint[]) {
    endpoint(name, (body) => {
      if (typeof body.query !== 'string' || body.query === '') throw new DatabaseFault('INVALID', 'missing parameter query')
      return runStatement(name, parseStatement(body.query), database, translate)
    })
  }
  endpoint('databasecollectionadd', (body) => {
    database.createCollection(collectionName(body))
    return {}
  })
  endpoint('databasecollectiondelete', (body) => {
    database.dropCollection(collectionName(body))
    return {}
  })
  endpoint('databasecollectionget', (body) => {
    const limit = body.limit === undefined ? 10 : body.limit
    const offset = body.offset === undefined ? 0 : body.offset
    if (!isCount(limit) || !isCount(offset)) throw new DatabaseFault('INVALID', 'limit and offset are non-negative integers')
    const all = database.listCollections()
    return {
      pager: { Offset: offset, Limit: limit, Total: all.length },
      collections: all.slice(offset, offset + limit).map(({ name, count, size }) => ({ name, count, size, index_count: 1, index_size: 0 })),
    }
  })
  endpoint('updateindex', (body) => {
    if (!database.hasCollection(collectionName(body))) throw new DatabaseFault('COLLECTION_NOT_FOUND', 'collection not found')
    if (!Array.isArray(body.create_indexes) || !Array.isArray(body.drop_indexes)) {
      throw new DatabaseFault('INVALID', 'create_indexes and drop_indexes are required arrays')
    }
    // Indexes change no result, only speed; the emulator accepts and does not keep them.
    return {}
  })
  for (const name of ['databasemigrateimport', 'databasemigrateexport', 'databasemigratequeryinfo']) {
    endpoint(name, () => {
      throw new DatabaseFault('UNSUPPORTED', `tcb/${name} is not supported by the emulator (it needs cloud storage)`)
    })
  }
}

function collectionName(body: Record<string, unknown>): string {
  if (typeof body.collection_name !== 'string' || body.collection_name === '') throw new DatabaseFault('INVALID', 'missing collection_name')
  return body.collection_name
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}
