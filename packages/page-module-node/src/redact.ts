import { PageModuleError, type ErrorDetails } from '@page-module/core'

const REDACTED = '[redacted]'

/** Replaces every occurrence of each secret in `text`; secrets shorter than 4 characters would erase ordinary words. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join(REDACTED)
  return result
}

/**
 * The error with every secret removed from its message and details. Server text can end up in both (an echoing
 * proxy, a misconfigured endpoint), so nothing that left the process is trusted to be free of them.
 */
export function redactError(error: PageModuleError, secrets: readonly string[]): PageModuleError {
  const message = redactSecrets(error.message, secrets)
  const details = error.details === undefined ? undefined : redactDetails(error.details, secrets)
  if (message === error.message && JSON.stringify(details) === JSON.stringify(error.details)) return error
  return new PageModuleError({
    code: error.code,
    message,
    moduleCode: error.moduleCode,
    requestId: error.requestId,
    cloudRequestId: error.cloudRequestId,
    module: error.module,
    method: error.method,
    retryable: error.retryable,
    requestSent: error.requestSent,
    details,
    cause: error.cause,
  })
}

function redactDetails(details: ErrorDetails, secrets: readonly string[]): ErrorDetails {
  const result: Record<string, string | number | boolean | null> = {}
  for (const [key, value] of Object.entries(details)) result[key] = typeof value === 'string' ? redactSecrets(value, secrets) : value
  return result
}
