import { PageModuleError } from '@page-module/core'
import { errcodeOf } from '../client/wechat-errors'

/** The codes this concern adds to core's open `PageModuleErrorCode` union. */
export type DatabaseErrorCode =
  | 'DATABASE_COLLECTION_NOT_FOUND'
  | 'DATABASE_DOCUMENT_NOT_FOUND'
  | 'DATABASE_INVALID_QUERY'
  | 'DATABASE_RESULT_TOO_LARGE'
  | 'DATABASE_ERROR'

const ADVICE: ReadonlyMap<number, readonly [DatabaseErrorCode, string]> = new Map([
  [-502005, ['DATABASE_COLLECTION_NOT_FOUND', 'create the collection first (db.createCollection(name) or the console).']],
  [-502001, ['DATABASE_ERROR', 'the database refused the request; check the data and try again.']],
  [-502003, ['DATABASE_INVALID_QUERY', 'the database refused the statement; check the where / update values.']],
  [-501007, ['DATABASE_INVALID_QUERY', 'a parameter is not valid; check the values passed.']],
  [40097, ['DATABASE_INVALID_QUERY', 'a parameter is not valid; check the values passed.']],
  [-602001, ['DATABASE_RESULT_TOO_LARGE', 'the result is over 1 MB; fetch fewer records (limit) or fewer fields (field).']],
])

/** A database errcode (`-502005` …) as a `PageModuleError` with its own code; the errcode stays in `details`. */
export function databaseError(error: unknown, during: string): unknown {
  const errcode = errcodeOf(error)
  if (errcode === undefined || !PageModuleError.isInstance(error)) return error
  const known = ADVICE.get(errcode)
  if (known === undefined && !(errcode <= -500000 && errcode > -700000)) return error
  const [code, advice] = known ?? (['DATABASE_ERROR', 'see the CloudBase error code table for this errcode.'] as const)
  const errmsg = typeof error.details?.['errmsg'] === 'string' ? error.details['errmsg'] : ''
  return new PageModuleError({
    code,
    message: `the database answered ${errcode}${errmsg ? ` (${errmsg})` : ''} while ${during} — ${advice}`,
    requestSent: true,
    retryable: false,
    details: { ...error.details, errcode },
    cause: error,
  })
}

export function documentNotFound(collection: string, id: string): PageModuleError {
  return new PageModuleError({
    code: 'DATABASE_DOCUMENT_NOT_FOUND',
    message: `document.get found no document ${JSON.stringify(id)} in the collection ${collection} — check the _id.`,
    requestSent: true,
    details: { collection, id },
  })
}
