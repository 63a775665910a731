import type { Environment } from '../module/caller-identity'
import { createCloudDatabaseIdempotencyStore } from './cloud-database-idempotency-store'
import { createMemoryIdempotencyStore, type IdempotencyStore } from './memory-idempotency-store'

/**
 * In a cloud function (SCF sets `TENCENTCLOUD_RUNENV`) the instances of a function share nothing but the cloud
 * database, so keys are kept there; anywhere else (tests, a local host) in memory.
 */
export function defaultIdempotencyStore(environment: Environment): IdempotencyStore {
  return environment.TENCENTCLOUD_RUNENV === 'SCF' ? createCloudDatabaseIdempotencyStore() : createMemoryIdempotencyStore()
}
