import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, type ReadStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { PassThrough, Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { cloudPathProblem } from '@page-module/wechat/storage'

export interface StoredFile {
  readonly size: number
  readonly stream: () => ReadStream
}

/** Why a write failed, in COS's words. */
export class StoreRefusal extends Error {
  constructor(
    readonly cosCode: 'EntityTooLarge' | 'InvalidArgument' | 'KeyConflict',
    message: string,
  ) {
    super(message)
  }
}

export interface FileStore {
  /**
   * Streams `source` to `cloudPath` (through a temporary file, so a failed upload leaves nothing); resolves with the size.
   * A refused write drains the rest of `source` instead of destroying it, so the uploader still reads the answer.
   */
  write(cloudPath: string, source: Readable): Promise<number>
  /** The file at `cloudPath`, or undefined when there is none. */
  read(cloudPath: string): Promise<StoredFile | undefined>
  /** Resolves true when a file was removed. */
  remove(cloudPath: string): Promise<boolean>
}

/**
 * Files under `root/files`, one per cloudPath. A path is checked twice before it touches the disk: by the client's own
 * cloudPath rules, then by resolving it and refusing anything that lands outside `root/files`.
 */
export function createFileStore({ root, maxFileBytes }: { readonly root: string; readonly maxFileBytes: number }): FileStore {
  const filesRoot = path.join(root, 'files')
  const uploadsRoot = path.join(root, 'uploads')
  mkdirSync(filesRoot, { recursive: true })
  mkdirSync(uploadsRoot, { recursive: true })

  function locate(cloudPath: string): string | undefined {
    if (cloudPathProblem(cloudPath) !== undefined) return undefined
    const resolved = path.resolve(filesRoot, ...cloudPath.split('/'))
    const relative = path.relative(filesRoot, resolved)
    return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : resolved
  }

  return {
    async write(cloudPath, source) {
      const target = locate(cloudPath)
      if (target === undefined) throw new StoreRefusal('InvalidArgument', `the key ${JSON.stringify(cloudPath)} is not a valid cloudPath`)
      const temporary = path.join(uploadsRoot, randomBytes(12).toString('hex'))
      let size = 0
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length
          if (size > maxFileBytes) done(new StoreRefusal('EntityTooLarge', `the file is larger than the limit of ${maxFileBytes} bytes`))
          else done(null, chunk)
        },
      })
      const own = new PassThrough()
      source.pipe(own)
      try {
        await pipeline(own, limit, createWriteStream(temporary))
        await mkdir(path.dirname(target), { recursive: true })
        await rename(temporary, target)
      } catch (error) {
        source.unpipe(own)
        source.resume()
        await rm(temporary, { force: true })
        if (error instanceof StoreRefusal) throw error
        const code = (error as { code?: unknown }).code
        if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
          throw new StoreRefusal('KeyConflict', `${JSON.stringify(cloudPath)} collides with a stored file or folder of the emulator`)
        }
        throw error
      }
      return size
    },
    async read(cloudPath) {
      const target = locate(cloudPath)
      if (target === undefined) return undefined
      const info = await stat(target).catch(() => undefined)
      if (!info?.isFile()) return undefined
      return { size: info.size, stream: () => createReadStream(target) }
    },
    async remove(cloudPath) {
      const target = locate(cloudPath)
      if (target === undefined) return false
      const info = await stat(target).catch(() => undefined)
      if (!info?.isFile()) return false
      await rm(target, { force: true })
      return true
    },
  }
}
