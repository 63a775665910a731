export {
  createCloudDatabase,
  type CloudDatabase,
  type CloudDatabaseOptions,
  type CloudDatabaseTransportOptions,
  type CollectionReference,
  type DocumentReference,
  type DatabaseQuery,
  type Aggregation,
  type WhereQuery,
  type UpdateData,
  type NewDocument,
  type Projection,
  type StoredDocument,
  type GetResult,
  type CollectionInfo,
  type IndexDefinition,
  type MigrationStatus,
} from './cloud-database'
export type { DatabaseCommands } from './database-command'
export { DatabaseCommand, DatabaseRegExp, GeoPoint, ServerDate } from './database-values'
// The operator names, shared with the emulator's statement reader.
export { QUERY_OPERATORS, UPDATE_OPERATORS } from './database-values'
export type { DatabaseErrorCode } from './database-errors'
export { parseExtendedJson } from './extended-json'
