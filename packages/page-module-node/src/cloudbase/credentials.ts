import { PageModuleError } from '@page-module/core'
import type { Environment } from './cloud-context'

/** A TencentCloud key pair (with the STS token of temporary keys), or a CloudBase API key sent as a Bearer token. */
export type CloudBaseCredentials =
  | { readonly kind: 'signature'; readonly secretId: string; readonly secretKey: string; readonly sessionToken?: string | undefined }
  | { readonly kind: 'api-key'; readonly accessKey: string }

export interface CredentialOptions {
  readonly secretId?: string | undefined
  readonly secretKey?: string | undefined
  readonly sessionToken?: string | undefined
  readonly accessKey?: string | undefined
}

/**
 * Options first, then `TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN`, then `CLOUDBASE_APIKEY`. Called for every
 * request: a cloud function's temporary keys rotate under a long-lived process.
 */
export function resolveCredentials(options: CredentialOptions, environment: Environment): CloudBaseCredentials {
  if (options.secretId !== undefined || options.secretKey !== undefined) {
    if (!isText(options.secretId) || !isText(options.secretKey)) {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        requestSent: false,
        message:
          'secretId and secretKey must both be non-empty strings ' +
          '— pass both, or neither to read TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY',
      })
    }
    return { kind: 'signature', secretId: options.secretId, secretKey: options.secretKey, sessionToken: options.sessionToken || undefined }
  }
  if (isText(options.accessKey)) return { kind: 'api-key', accessKey: options.accessKey }
  const { TENCENTCLOUD_SECRETID: secretId, TENCENTCLOUD_SECRETKEY: secretKey } = environment
  if (isText(secretId) && isText(secretKey)) {
    return { kind: 'signature', secretId, secretKey, sessionToken: environment.TENCENTCLOUD_SESSIONTOKEN || undefined }
  }
  if (isText(environment.CLOUDBASE_APIKEY)) return { kind: 'api-key', accessKey: environment.CLOUDBASE_APIKEY }
  throw new PageModuleError({
    code: 'MISSING_CREDENTIALS',
    requestSent: false,
    message:
      'no CloudBase credentials — pass secretId and secretKey (or set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY), ' +
      'or an API key in accessKey (or CLOUDBASE_APIKEY)',
  })
}

/** Every secret string in the credentials, for redaction. */
export function secretsOf(credentials: CloudBaseCredentials | undefined): string[] {
  if (credentials === undefined) return []
  if (credentials.kind === 'api-key') return [credentials.accessKey]
  return credentials.sessionToken === undefined ? [credentials.secretKey] : [credentials.secretKey, credentials.sessionToken]
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}
