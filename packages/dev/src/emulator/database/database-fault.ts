/** What went wrong in the emulated database, with the CloudBase code the cloud answers for it. */
export type DatabaseFaultKind = 'COLLECTION_NOT_FOUND' | 'COLLECTION_EXISTS' | 'DUPLICATE_ID' | 'INVALID' | 'TOO_LARGE' | 'UNSUPPORTED'

/** The WeChat HTTP API's errcode for each kind (`-502005` …); `/admin` answers the `DATABASE_*` names. */
export const FAULT_ERRCODES: Readonly<Record<DatabaseFaultKind, number>> = {
  COLLECTION_NOT_FOUND: -502005,
  COLLECTION_EXISTS: -502002,
  DUPLICATE_ID: -502001,
  INVALID: 40097,
  TOO_LARGE: -602001,
  UNSUPPORTED: 40097,
}

export const FAULT_ADMIN_CODES: Readonly<Record<DatabaseFaultKind, string>> = {
  COLLECTION_NOT_FOUND: 'DATABASE_COLLECTION_NOT_EXIST',
  COLLECTION_EXISTS: 'DATABASE_COLLECTION_ALREADY_EXIST',
  DUPLICATE_ID: 'DATABASE_DUPLICATE_WRITE',
  INVALID: 'INVALID_PARAM',
  TOO_LARGE: 'DATABASE_RESULT_TOO_LARGE',
  UNSUPPORTED: 'OPERATION_NOT_SUPPORTED',
}

export class DatabaseFault extends Error {
  constructor(
    readonly kind: DatabaseFaultKind,
    message: string,
  ) {
    super(message)
  }
}

export function collectionNotFound(name: string): DatabaseFault {
  return new DatabaseFault('COLLECTION_NOT_FOUND', `Db or Table not exist: collection ${name} does not exist`)
}
