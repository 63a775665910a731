import { EJSON } from 'bson'
import { DatabaseFault } from '../../database/database-fault'
import type { DocumentDatabase, MongoObject } from '../../database/document-database'
import type { ParsedStatement, StatementCall } from './query-statement'
import type { SdkTranslator } from './sdk-to-mongo'

/** The `tcb/database*` endpoints that take a statement, and the call their statement must end with. */
export const STATEMENT_ENDPOINTS = {
  databasequery: 'get',
  databasecount: 'count',
  databaseadd: 'add',
  databaseupdate: 'update',
  databasedelete: 'remove',
  databaseaggregate: 'end',
} as const

export type StatementEndpoint = keyof typeof STATEMENT_ENDPOINTS

/** Records an HTTP query answers when the statement names no limit, as the HTTP API documents. */
export const DEFAULT_HTTP_LIMIT = 10
const MAX_LIMIT = 1000
const QUERY_METHODS = new Set(['where', 'orderBy', 'skip', 'limit', 'field'])

/** Runs a parsed statement on the database and resolves with the endpoint's reply fields (besides errcode/errmsg). */
export function runStatement(
  endpoint: StatementEndpoint,
  statement: ParsedStatement,
  database: DocumentDatabase,
  translate: SdkTranslator,
): Record<string, unknown> {
  const { collection, calls } = statement
  const terminal = calls.at(-1)
  const expected = STATEMENT_ENDPOINTS[endpoint]
  const endsRight = terminal?.method === expected || (endpoint === 'databaseupdate' && terminal?.method === 'set')
  if (!endsRight) throw invalid(`tcb/${endpoint} takes a statement ending in .${expected}()`)
  const [first] = calls

  if (first!.method === 'add') {
    if (calls.length !== 1) throw invalid('.add() must follow db.collection() directly')
    const data = dataOf(first!)
    const records = (Array.isArray(data) ? data : [data]).map((record) => translate.value(record) as MongoObject)
    if (records.length === 0 || records.some((record) => typeof record !== 'object' || record === null || Array.isArray(record))) {
      throw invalid('add({ data }) takes an object or an array of objects')
    }
    return { id_list: database.insert(collection, records) }
  }

  if (first!.method === 'aggregate') {
    if (first!.args.length !== 0) throw invalid('.aggregate() takes no arguments')
    const stages = calls.slice(1, -1).map((call) => {
      if (call.args.length !== 1) throw invalid(`.${call.method}() takes one argument`)
      return translate.stage(call.method, call.args[0])
    })
    return { data: database.aggregate(collection, stages).map((record) => EJSON.stringify(record, { relaxed: false })) }
  }

  if (first!.method === 'doc') {
    const id = first!.args[0]
    if (calls.length !== 2 || first!.args.length !== 1 || typeof id !== 'string' || id === '') {
      throw invalid('.doc("<id>") takes one string and is followed by get, set, update or remove')
    }
    const byId = { _id: id }
    switch (terminal!.method) {
      case 'get':
        return page(database.find(collection, { filter: byId }), 0, DEFAULT_HTTP_LIMIT, database.count(collection, byId))
      case 'set': {
        const data = translate.value(dataOf(terminal!))
        if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('set({ data }) takes an object')
        const outcome = database.replace(collection, id, data as MongoObject, { upsert: true })
        return { matched: outcome.matched, modified: outcome.modified, id: outcome.upsertedId ?? '' }
      }
      case 'update': {
        const outcome = database.update(collection, byId, translate.update(dataOf(terminal!)), { multi: false })
        return { matched: outcome.matched, modified: outcome.modified, id: '' }
      }
      default:
        return { deleted: database.remove(collection, byId, { multi: false }) }
    }
  }

  let filter: MongoObject = {}
  const sort: Array<[string, 1 | -1]> = []
  let skip = 0
  let limit: number | undefined
  let projection: MongoObject | undefined
  for (const call of calls.slice(0, -1)) {
    if (!QUERY_METHODS.has(call.method)) throw invalid(`.${call.method}() cannot be used here`)
    const [argument, second] = call.args
    switch (call.method) {
      case 'where':
        filter = translate.filter(argument)
        break
      case 'orderBy':
        if (typeof argument !== 'string' || (second !== 'asc' && second !== 'desc')) throw invalid('.orderBy("<field>", "asc" | "desc")')
        sort.push([argument, second === 'asc' ? 1 : -1])
        break
      case 'skip':
        skip = count(argument, 'skip', Number.MAX_SAFE_INTEGER)
        break
      case 'limit':
        limit = count(argument, 'limit', MAX_LIMIT)
        break
      default:
        projection = projectionOf(argument)
    }
  }
  switch (terminal!.method) {
    case 'get': {
      const effectiveLimit = limit ?? DEFAULT_HTTP_LIMIT
      const records = database.find(collection, { filter, sort, skip, limit: effectiveLimit, ...(projection ? { projection } : {}) })
      return page(records, skip, effectiveLimit, database.count(collection, filter))
    }
    case 'count':
      return { count: database.count(collection, filter) }
    case 'update': {
      const outcome = database.update(collection, filter, translate.update(dataOf(terminal!)), { multi: true })
      return { matched: outcome.matched, modified: outcome.modified, id: '' }
    }
    default:
      return { deleted: database.remove(collection, filter, { multi: true }) }
  }
}

function page(records: readonly object[], offset: number, limit: number, total: number): Record<string, unknown> {
  return {
    pager: { Offset: offset, Limit: limit, Total: total },
    data: records.map((record) => EJSON.stringify(record, { relaxed: true })),
  }
}

function dataOf(call: StatementCall): unknown {
  const [options] = call.args
  if (call.args.length !== 1 || typeof options !== 'object' || options === null || !('data' in options)) {
    throw invalid(`.${call.method}() takes { data }`)
  }
  return (options as { data: unknown }).data
}

function projectionOf(argument: unknown): MongoObject {
  if (typeof argument !== 'object' || argument === null || Array.isArray(argument)) throw invalid('.field() takes { name: true }')
  return Object.fromEntries(
    Object.entries(argument).map(([key, shown]) => {
      if (typeof shown !== 'boolean' && shown !== 0 && shown !== 1) throw invalid('.field() values are true or false')
      return [key, shown ? 1 : 0]
    }),
  )
}

function count(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    throw invalid(`.${name}() takes an integer from 0 to ${max}`)
  return value
}

function invalid(message: string): DatabaseFault {
  return new DatabaseFault('INVALID', message)
}
