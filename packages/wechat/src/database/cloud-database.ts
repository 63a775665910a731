import { envOfOption } from '@page-module/core/current-env'
import { createWeChatClient, type WeChatClient, type WeChatClientOptions } from '../client/wechat-client'
import type { FetchFunction } from '../client/request-json'
import type { AccessTokenProvider } from '../tokens/with-access-token'
import { createDatabaseCommand, type DatabaseCommands } from './database-command'
import { databaseError, documentNotFound } from './database-errors'
import { DatabaseRegExp, GeoPoint, ServerDate, type DatabaseCommand } from './database-values'
import { parseExtendedJson } from './extended-json'
import { encodeCollectionName, encodeString, encodeValue, invalid } from './query-encoder'
import { buildStatement, type StatementStep } from './statement'

/** `env`: the env id, or `cloud.DYNAMIC_CURRENT_ENV` for the env of the cloud function this runs in (refused outside one). */
export type CloudDatabaseOptions = { readonly env: string | symbol } & (
  { readonly client: WeChatClient } | { readonly tokens: AccessTokenProvider } | { readonly appId: string; readonly appSecret: string }
)

export interface CloudDatabaseTransportOptions {
  /** Replaces `https://api.weixin.qq.com` (a fixed-egress proxy, the local emulator). */
  readonly apiBaseUrl?: string | undefined
  readonly fetch?: FetchFunction | undefined
  /** Milliseconds one call may take. Default 10 000. */
  readonly timeout?: number | undefined
}

/** A stored record: your fields plus the `_id` the database keys it by. */
export type StoredDocument<T> = T & { readonly _id: string }

type FieldCondition<V> =
  V | DatabaseCommand<'query'> | DatabaseRegExp | RegExp | (V extends Record<string, unknown> ? WhereQuery<V> : never)

/** A `where` object: each field a value, a nested condition or a `db.command` query command; dotted paths allowed. */
export type WhereQuery<T> = { readonly [K in keyof T & string]?: FieldCondition<T[K]> } & {
  readonly [path: `${string}.${string}`]: unknown
}

type FieldUpdate<V> = V | DatabaseCommand<'update'> | ServerDate | (V extends Record<string, unknown> ? UpdateData<V> : never)

/** The `data` of `update`: new values or `db.command` update commands per field; dotted paths allowed. */
export type UpdateData<T> = { readonly [K in keyof T & string]?: FieldUpdate<T[K]> } & {
  readonly [path: `${string}.${string}`]: unknown
}

/** The `data` of `add` and `set`: the record, where any field may be `db.serverDate()`. */
export type NewDocument<T> = { readonly [K in keyof T]: T[K] | ServerDate } & { readonly _id?: string }

export type Projection<T> = { readonly [K in keyof T & string]?: boolean } & { readonly [path: string]: boolean | undefined }

export interface GetResult<T> {
  readonly data: StoredDocument<T>[]
  readonly errMsg: string
}

/** What `where(…)`, `orderBy`, `skip`, `limit` and `field` build: immutable, each call returns a new query. */
export interface DatabaseQuery<T> {
  where(condition: WhereQuery<T> | DatabaseCommand<'query'>): DatabaseQuery<T>
  orderBy(field: (keyof T & string) | `${string}.${string}` | '_id', direction: 'asc' | 'desc'): DatabaseQuery<T>
  skip(count: number): DatabaseQuery<T>
  /** At most 1000 (the cloud's maximum); the HTTP API returns 10 when no limit is given. */
  limit(count: number): DatabaseQuery<T>
  field(projection: Projection<T>): DatabaseQuery<T>
  get(): Promise<GetResult<T>>
  count(): Promise<{ readonly total: number; readonly errMsg: string }>
  update(options: { readonly data: UpdateData<T> }): Promise<{ readonly stats: { readonly updated: number }; readonly errMsg: string }>
  remove(): Promise<{ readonly stats: { readonly removed: number }; readonly errMsg: string }>
}

export interface DocumentReference<T> {
  readonly id: string
  /** Throws `DATABASE_DOCUMENT_NOT_FOUND` when there is no such record, as `wx-server-sdk` does. */
  get(): Promise<{ readonly data: StoredDocument<T>; readonly errMsg: string }>
  /** Replaces the record, or creates it with this `_id`. */
  set(options: { readonly data: NewDocument<T> }): Promise<{
    readonly _id: string
    readonly stats: { readonly updated: number; readonly created: number }
    readonly errMsg: string
  }>
  update(options: { readonly data: UpdateData<T> }): Promise<{ readonly stats: { readonly updated: number }; readonly errMsg: string }>
  remove(): Promise<{ readonly stats: { readonly removed: number }; readonly errMsg: string }>
}

export interface CollectionReference<T> extends DatabaseQuery<T> {
  readonly name: string
  doc(id: string): DocumentReference<T>
  add(options: { readonly data: NewDocument<T> }): Promise<{ readonly _id: string; readonly errMsg: string }>
  add(options: { readonly data: readonly NewDocument<T>[] }): Promise<{ readonly _ids: string[]; readonly errMsg: string }>
  aggregate(): Aggregation
}

/** The stages of `collection.aggregate()`; `end()` runs the pipeline. */
export interface Aggregation {
  addFields(fields: object): Aggregation
  bucket(options: object): Aggregation
  count(field: string): Aggregation
  group(group: object): Aggregation
  limit(count: number): Aggregation
  lookup(options: object): Aggregation
  match(condition: object): Aggregation
  project(projection: object): Aggregation
  replaceRoot(options: object): Aggregation
  sample(options: { readonly size: number }): Aggregation
  skip(count: number): Aggregation
  sort(order: Readonly<Record<string, 1 | -1>>): Aggregation
  sortByCount(expression: unknown): Aggregation
  unwind(field: string | object): Aggregation
  end<R = Record<string, unknown>>(): Promise<{ readonly list: R[]; readonly errMsg: string }>
}

export interface CollectionInfo {
  readonly name: string
  readonly count: number
  readonly size: number
  readonly indexCount: number
  readonly indexSize: number
}

export interface IndexDefinition {
  readonly name: string
  readonly unique?: boolean
  readonly keys: ReadonlyArray<{ readonly name: string; readonly direction: '1' | '-1' | '2dsphere' }>
}

export interface MigrationStatus {
  readonly status: string
  readonly recordSuccess: number
  readonly recordFail: number
  readonly errorMessage: string
  readonly fileUrl: string
}

/** The cloud database over WeChat's HTTP API, with `wx-server-sdk`'s `cloud.database()` chain and result shapes. */
export interface CloudDatabase {
  readonly env: string
  readonly command: DatabaseCommands
  collection<T = Record<string, unknown>>(name: string): CollectionReference<T>
  serverDate(options?: { readonly offset?: number }): ServerDate
  RegExp(options: { readonly regexp: string; readonly options?: string }): DatabaseRegExp
  readonly Geo: { Point(longitude: number, latitude: number): GeoPoint }
  createCollection(name: string): Promise<void>
  dropCollection(name: string): Promise<void>
  listCollections(page?: { readonly limit?: number; readonly offset?: number }): Promise<{
    readonly collections: CollectionInfo[]
    readonly pager: { readonly offset: number; readonly limit: number; readonly total: number }
  }>
  updateIndex(
    collection: string,
    changes: { readonly create?: readonly IndexDefinition[]; readonly drop?: readonly string[] },
  ): Promise<void>
  /** Imports a file already in the env's storage; resolves with the job id to poll with `migrationStatus`. */
  migrateImport(options: {
    readonly collection: string
    readonly filePath: string
    readonly fileType: 'json' | 'csv'
    readonly stopOnError?: boolean
    readonly conflictMode?: 'insert' | 'upsert'
  }): Promise<{ readonly jobId: number }>
  /** Exports what `query` selects into the env's storage. */
  migrateExport(options: {
    readonly filePath: string
    readonly fileType: 'json' | 'csv'
    readonly query: DatabaseQuery<unknown>
  }): Promise<{ readonly jobId: number }>
  migrationStatus(jobId: number): Promise<MigrationStatus>
}

const MAX_LIMIT = 1000
const AGGREGATE_STAGES = [
  'addFields',
  'bucket',
  'count',
  'group',
  'limit',
  'lookup',
  'match',
  'project',
  'replaceRoot',
  'sample',
  'skip',
  'sort',
  'sortByCount',
  'unwind',
] as const
const statementsOf = new WeakMap<object, () => string>()

/**
 * `createCloudDatabase({ env, appId, appSecret })`: read and write the mini-program's cloud database from a server.
 * Every value is encoded into the statement as a typed literal, so no input can change what the statement does.
 */
export function createCloudDatabase(options: CloudDatabaseOptions, transport: CloudDatabaseTransportOptions = {}): CloudDatabase {
  const env = envOfOption(options.env, process.env)
  if (typeof env !== 'string' || env === '') throw invalid('env must name the cloud environment (云开发环境 ID).')
  const client =
    'client' in options ? options.client : createWeChatClient({ ...credentialsOf(options), ...transport } as WeChatClientOptions)

  async function send<Answer>(path: string, body: Record<string, unknown>, during: string): Promise<Answer> {
    try {
      return await client.call<Answer>({ path, body: { env, ...body }, during })
    } catch (error) {
      throw databaseError(error, during)
    }
  }

  function query<T>(collection: string, steps: readonly StatementStep[]): DatabaseQuery<T> {
    const next = (step: StatementStep) => query<T>(collection, [...steps, step])
    const statement = (terminal: StatementStep) => buildStatement(collection, [...steps, terminal])
    const result: DatabaseQuery<T> = {
      where: (condition) => next({ method: 'where', args: [encodeWhere(condition)] }),
      orderBy(field, direction) {
        if (typeof field !== 'string' || field === '') throw invalid('orderBy needs a field name.')
        if (direction !== 'asc' && direction !== 'desc')
          throw invalid(`orderBy direction must be "asc" or "desc", got ${String(direction)}.`)
        return next({ method: 'orderBy', args: [encodeString(field), encodeString(direction)] })
      },
      skip: (count) => next({ method: 'skip', args: [encodeCount(count, 'skip', Number.MAX_SAFE_INTEGER)] }),
      limit: (count) => next({ method: 'limit', args: [encodeCount(count, 'limit', MAX_LIMIT)] }),
      field: (projection) => next({ method: 'field', args: [encodeProjection(projection)] }),
      async get() {
        const reply = await send<{ data?: string[] }>(
          '/tcb/databasequery',
          { query: statement({ method: 'get', args: [] }) },
          'querying the database',
        )
        return { data: decodeRecords(reply.data) as StoredDocument<T>[], errMsg: 'collection.get:ok' }
      },
      async count() {
        const reply = await send<{ count?: number }>('/tcb/databasecount', { query: statement({ method: 'count', args: [] }) }, 'counting')
        return { total: reply.count ?? 0, errMsg: 'collection.count:ok' }
      },
      async update({ data } = {} as never) {
        const reply = await send<{ modified?: number }>(
          '/tcb/databaseupdate',
          { query: statement({ method: 'update', args: [encodeUpdate(data)] }) },
          'updating records',
        )
        return { stats: { updated: reply.modified ?? 0 }, errMsg: 'collection.update:ok' }
      },
      async remove() {
        const reply = await send<{ deleted?: number }>(
          '/tcb/databasedelete',
          { query: statement({ method: 'remove', args: [] }) },
          'removing records',
        )
        return { stats: { removed: reply.deleted ?? 0 }, errMsg: 'collection.remove:ok' }
      },
    }
    statementsOf.set(result, () => statement({ method: 'get', args: [] }))
    return result
  }

  function documentReference<T>(collection: string, id: string): DocumentReference<T> {
    if (typeof id !== 'string' || id === '') throw invalid(`doc() needs a non-empty string _id, got ${String(id)}.`)
    const statement = (terminal: StatementStep) => buildStatement(collection, [{ method: 'doc', args: [encodeString(id)] }, terminal])
    return {
      id,
      async get() {
        const reply = await send<{ data?: string[] }>(
          '/tcb/databasequery',
          { query: statement({ method: 'get', args: [] }) },
          'reading a document',
        )
        const [record] = decodeRecords(reply.data)
        if (record === undefined) throw documentNotFound(collection, id)
        return { data: record as StoredDocument<T>, errMsg: 'document.get:ok' }
      },
      async set({ data } = {} as never) {
        const encoded = encodeDocument(data, 'set')
        const reply = await send<{ modified?: number; id?: string }>(
          '/tcb/databaseupdate',
          { query: statement({ method: 'set', args: [`{"data":${encoded}}`] }) },
          'setting a document',
        )
        const created = typeof reply.id === 'string' && reply.id !== '' ? 1 : 0
        return { _id: id, stats: { updated: reply.modified ?? 0, created }, errMsg: 'document.set:ok' }
      },
      async update({ data } = {} as never) {
        const reply = await send<{ modified?: number }>(
          '/tcb/databaseupdate',
          { query: statement({ method: 'update', args: [encodeUpdate(data)] }) },
          'updating a document',
        )
        return { stats: { updated: reply.modified ?? 0 }, errMsg: 'document.update:ok' }
      },
      async remove() {
        const reply = await send<{ deleted?: number }>(
          '/tcb/databasedelete',
          { query: statement({ method: 'remove', args: [] }) },
          'removing a document',
        )
        return { stats: { removed: reply.deleted ?? 0 }, errMsg: 'document.remove:ok' }
      },
    }
  }

  function aggregation(collection: string, steps: readonly StatementStep[]): Aggregation {
    const stages = Object.fromEntries(
      AGGREGATE_STAGES.map((stage) => [
        stage,
        (argument: unknown) =>
          aggregation(collection, [
            ...steps,
            {
              method: stage,
              args: [
                stage === 'limit' || stage === 'skip'
                  ? encodeCount(argument, stage, Number.MAX_SAFE_INTEGER)
                  : encodeValue(argument, `aggregate().${stage}()`),
              ],
            },
          ]),
      ]),
    ) as unknown as Omit<Aggregation, 'end'>
    return {
      ...stages,
      async end<R>() {
        const reply = await send<{ data?: string[] }>(
          '/tcb/databaseaggregate',
          { query: buildStatement(collection, [{ method: 'aggregate', args: [] }, ...steps, { method: 'end', args: [] }]) },
          'aggregating',
        )
        return { list: decodeRecords(reply.data) as R[], errMsg: 'collection.aggregate:ok' }
      },
    }
  }

  function collection<T>(name: string): CollectionReference<T> {
    encodeCollectionName(name)
    return {
      ...query<T>(name, []),
      name,
      doc: (id: string) => documentReference<T>(name, id),
      async add({ data }: { data: NewDocument<T> | readonly NewDocument<T>[] }) {
        const many = Array.isArray(data)
        const encoded = many
          ? `[${(data as readonly NewDocument<T>[]).map((item) => encodeDocument(item, 'add')).join(',')}]`
          : encodeDocument(data, 'add')
        const reply = await send<{ id_list?: string[] }>(
          '/tcb/databaseadd',
          { query: buildStatement(name, [{ method: 'add', args: [`{"data":${encoded}}`] }]) },
          'adding records',
        )
        const ids = reply.id_list ?? []
        return many ? { _ids: ids, errMsg: 'collection.add:ok' } : { _id: ids[0] ?? '', errMsg: 'collection.add:ok' }
      },
      aggregate: () => aggregation(name, []),
    } as CollectionReference<T>
  }

  async function management(path: string, body: Record<string, unknown>, during: string): Promise<Record<string, unknown>> {
    return send<Record<string, unknown>>(path, body, during)
  }

  return {
    env,
    command: createDatabaseCommand(),
    collection,
    serverDate: ({ offset = 0 } = {}) => {
      if (!Number.isFinite(offset)) throw invalid('serverDate offset must be a finite number of milliseconds.')
      return new ServerDate(offset)
    },
    RegExp: ({ regexp, options: flags = '' }) => new DatabaseRegExp(regexp, flags),
    Geo: { Point: (longitude, latitude) => new GeoPoint(longitude, latitude) },
    async createCollection(name) {
      encodeCollectionName(name)
      await management('/tcb/databasecollectionadd', { collection_name: name }, 'creating a collection')
    },
    async dropCollection(name) {
      encodeCollectionName(name)
      await management('/tcb/databasecollectiondelete', { collection_name: name }, 'dropping a collection')
    },
    async listCollections({ limit = 10, offset = 0 } = {}) {
      const reply = await management(
        '/tcb/databasecollectionget',
        { limit: Number(encodeCount(limit, 'limit', MAX_LIMIT)), offset: Number(encodeCount(offset, 'offset', Number.MAX_SAFE_INTEGER)) },
        'listing collections',
      )
      const pager = (reply.pager ?? {}) as { Offset?: number; Limit?: number; Total?: number }
      const collections = ((reply.collections ?? []) as Array<Record<string, unknown>>).map((item) => ({
        name: String(item.name),
        count: Number(item.count ?? 0),
        size: Number(item.size ?? 0),
        indexCount: Number(item.index_count ?? 0),
        indexSize: Number(item.index_size ?? 0),
      }))
      return {
        collections,
        pager: { offset: pager.Offset ?? offset, limit: pager.Limit ?? limit, total: pager.Total ?? collections.length },
      }
    },
    async updateIndex(name, { create = [], drop = [] }) {
      encodeCollectionName(name)
      await management(
        '/tcb/updateindex',
        {
          collection_name: name,
          create_indexes: create.map((index) => ({ name: index.name, unique: index.unique ?? false, keys: index.keys })),
          drop_indexes: drop.map((indexName) => ({ name: indexName })),
        },
        'updating indexes',
      )
    },
    async migrateImport({ collection: name, filePath, fileType, stopOnError = false, conflictMode = 'insert' }) {
      encodeCollectionName(name)
      const reply = await management(
        '/tcb/databasemigrateimport',
        {
          collection_name: name,
          file_path: filePath,
          file_type: fileTypeCode(fileType),
          stop_on_error: stopOnError,
          conflict_mode: conflictMode === 'upsert' ? 2 : 1,
        },
        'starting an import',
      )
      return { jobId: Number(reply.job_id) }
    },
    async migrateExport({ filePath, fileType, query: selection }) {
      const statement = statementsOf.get(selection)
      if (statement === undefined) throw invalid('migrateExport needs a query built from db.collection(…).')
      const reply = await management(
        '/tcb/databasemigrateexport',
        { file_path: filePath, file_type: fileTypeCode(fileType), query: statement() },
        'starting an export',
      )
      return { jobId: Number(reply.job_id) }
    },
    async migrationStatus(jobId) {
      if (!Number.isSafeInteger(jobId)) throw invalid(`jobId must be an integer, got ${String(jobId)}.`)
      const reply = await management('/tcb/databasemigratequeryinfo', { job_id: jobId }, 'reading a migration job')
      return {
        status: String(reply.status ?? ''),
        recordSuccess: Number(reply.record_success ?? 0),
        recordFail: Number(reply.record_fail ?? 0),
        // The doc's table says err_msg, its example error_msg.
        errorMessage: String(reply.err_msg ?? reply.error_msg ?? ''),
        fileUrl: String(reply.file_url ?? ''),
      }
    },
  }
}

function credentialsOf(options: CloudDatabaseOptions): WeChatClientOptions {
  if ('tokens' in options) return { tokens: options.tokens }
  if ('appId' in options) return { appId: options.appId, appSecret: options.appSecret }
  throw invalid('give { env, appId, appSecret }, { env, tokens } or { env, client }.')
}

function encodeWhere(condition: unknown): string {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    throw invalid('where() takes an object (or a db.command logic command), never a string.')
  }
  return encodeValue(condition, 'where')
}

function encodeUpdate(data: unknown): string {
  assertPlainData(data, 'update')
  if (Object.prototype.hasOwnProperty.call(data, '_id')) throw invalid('update data cannot change _id.')
  return `{"data":${encodeValue(data, 'update data')}}`
}

function encodeDocument(data: unknown, during: string): string {
  assertPlainData(data, during)
  return encodeValue(data, `${during} data`)
}

function assertPlainData(data: unknown, during: string): asserts data is object {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(`${during}({ data }) needs data to be an object.`)
}

function encodeProjection(projection: unknown): string {
  if (typeof projection !== 'object' || projection === null || Array.isArray(projection)) throw invalid('field() takes { name: true }.')
  for (const [key, value] of Object.entries(projection)) {
    if (typeof value !== 'boolean' && value !== undefined) throw invalid(`field() value of ${JSON.stringify(key)} must be true or false.`)
  }
  return encodeValue(projection, 'field')
}

function encodeCount(count: unknown, name: string, max: number): string {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > max) {
    throw invalid(`${name} must be an integer from 0 to ${max}, got ${String(count)}.`)
  }
  return String(count)
}

function fileTypeCode(fileType: 'json' | 'csv'): 1 | 2 {
  if (fileType !== 'json' && fileType !== 'csv') throw invalid(`fileType must be "json" or "csv", got ${String(fileType)}.`)
  return fileType === 'json' ? 1 : 2
}

function decodeRecords(data: unknown): unknown[] {
  if (!Array.isArray(data)) return []
  return data.map((record) => (typeof record === 'string' ? parseExtendedJson(record) : record))
}
