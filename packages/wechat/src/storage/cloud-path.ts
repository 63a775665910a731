import { PageModuleError } from '@page-module/core'

/** COS refuses object keys longer than this many UTF-8 bytes. */
export const MAX_CLOUD_PATH_BYTES = 850

// C0 controls and DEL: COS mangles them and no file name needs them.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/

/**
 * Why `cloudPath` cannot name a stored file, or undefined when it can: a relative path of non-empty
 * segments, none `.` or `..`, without control characters, at most 850 UTF-8 bytes.
 */
export function cloudPathProblem(cloudPath: unknown): string | undefined {
  if (typeof cloudPath !== 'string' || cloudPath === '') return 'it must be a non-empty string such as "avatars/u-1001.png"'
  if (cloudPath.startsWith('/')) return 'it must not start with "/" (give "images/a.png", not "/images/a.png")'
  if (cloudPath.endsWith('/')) return 'it names a folder; end it with a file name'
  if (CONTROL_CHARACTER.test(cloudPath)) return 'it contains a control character'
  const segments = cloudPath.split('/')
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'it contains a "." or ".." segment'
  if (segments.some((segment) => segment === '')) return 'it contains an empty segment ("//")'
  const bytes = Buffer.byteLength(cloudPath, 'utf8')
  if (bytes > MAX_CLOUD_PATH_BYTES) return `it is ${bytes} bytes long; the limit is ${MAX_CLOUD_PATH_BYTES} UTF-8 bytes`
  return undefined
}

/** Throws `INVALID_OPTIONS` (nothing sent) when `cloudPath` cannot name a stored file. */
export function assertCloudPath(cloudPath: unknown): asserts cloudPath is string {
  const problem = cloudPathProblem(cloudPath)
  if (problem === undefined) return
  const shown = typeof cloudPath === 'string' ? JSON.stringify(cloudPath.slice(0, 100)) : typeof cloudPath
  throw new PageModuleError({
    code: 'INVALID_OPTIONS',
    message: `cloudPath ${shown} is refused: ${problem} — nothing was uploaded.`,
    requestSent: false,
  })
}
