/** CloudBase's numeric suffix of a bucket name (an AppID of Tencent Cloud); any fixed number does locally. */
const TENCENT_CLOUD_APP_ID = '1250000000'

/** The bucket as it appears in file IDs: the hex of the env's first two characters, then the env (`7465-test2-4a89da`). */
export function bucketOf(env: string): string {
  return `${Buffer.from(env.slice(0, 2), 'utf8').toString('hex')}-${env}`
}

/** The bucket as COS names it, with the account suffix: `7465-test2-4a89da-1250000000`. */
export function cosBucketOf(env: string): string {
  return `${bucketOf(env)}-${TENCENT_CLOUD_APP_ID}`
}

/** `cloud://<env>.<bucket>/<cloudPath>` */
export function fileIdOf(env: string, cloudPath: string): string {
  return `cloud://${env}.${bucketOf(env)}/${cloudPath}`
}

export interface ParsedFileId {
  readonly env: string
  readonly bucket: string
  readonly cloudPath: string
}

const FILE_ID = /^cloud:\/\/([a-z0-9_-]+)\.([^/]+)\/(.+)$/s

/** The parts of a file ID, or undefined when it is not `cloud://<env>.<bucket>/<path>`. */
export function parseFileId(fileID: unknown): ParsedFileId | undefined {
  if (typeof fileID !== 'string') return undefined
  const match = FILE_ID.exec(fileID)
  if (!match) return undefined
  return { env: match[1]!, bucket: match[2]!, cloudPath: match[3]! }
}
