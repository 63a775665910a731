import { link, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { systemErrorCode } from '../client/system-error-code'
import { createOwnerId } from './token-store'

/** Token and lock files hold secrets' neighbours (tokens): only their owner may read them. */
export const PRIVATE_FILE_MODE = 0o600

/** A held lock file: `release` deletes it while it is still ours; `isHeld` tells whether it still is. */
export interface HeldLockFile {
  release(): Promise<void>
  isHeld(): Promise<boolean>
}

/**
 * A lock file created with O_EXCL, holding its owner. Its age is judged on the file system's own clock (the lock
 * file's mtime against the mtime of a file written just now), never on a reader's clock, so machines whose
 * clocks disagree still agree on when a lock went stale. A stale lock (its holder died) is broken by renaming it
 * away, which only one process can do. Resolves with the held lock, or undefined when someone else holds it.
 */
export async function tryLockFile(lockPath: string, ttlMs: number): Promise<HeldLockFile | undefined> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const owner = createOwnerId()
    try {
      const handle = await open(lockPath, 'wx', PRIVATE_FILE_MODE)
      try {
        await handle.writeFile(JSON.stringify({ owner, ttlMs }))
      } finally {
        await handle.close()
      }
      return { release: () => releaseLockFile(lockPath, owner), isHeld: async () => (await readLock(lockPath))?.owner === owner }
    } catch (error) {
      if (systemErrorCode(error) !== 'EEXIST') throw error
    }
    const held = await readLock(lockPath)
    if (held === undefined) continue
    // The holder's own ttl counts; a holder that died before writing it gets the one asked for here.
    if (held.mtimeMs + (held.ttlMs ?? ttlMs) > (await fileSystemNow(lockPath))) return undefined
    if (!(await breakStaleLock(lockPath, held.owner))) return undefined
  }
  return undefined
}

/** The file system's time now: the mtime of a file just written (on a network volume, the server's clock). */
async function fileSystemNow(lockPath: string): Promise<number> {
  const probe = `${lockPath}.${createOwnerId()}.clock`
  await writeFile(probe, '', { mode: PRIVATE_FILE_MODE })
  try {
    return (await stat(probe)).mtimeMs
  } finally {
    await unlink(probe).catch(() => undefined)
  }
}

async function breakStaleLock(lockPath: string, staleOwner: string): Promise<boolean> {
  const aside = `${lockPath}.${createOwnerId()}.stale`
  try {
    await rename(lockPath, aside)
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return true
    throw error
  }
  const moved = await readLock(aside)
  if (moved !== undefined && moved.owner !== staleOwner) {
    // Between our read and the rename, another process broke the stale lock and took a fresh one: put it back.
    await link(aside, lockPath).catch(() => undefined)
    await unlink(aside).catch(() => undefined)
    return false
  }
  await unlink(aside).catch(() => undefined)
  return true
}

async function releaseLockFile(lockPath: string, owner: string): Promise<void> {
  const held = await readLock(lockPath)
  if (held !== undefined && held.owner === owner) await unlink(lockPath).catch(() => undefined)
}

interface LockFile {
  /** Empty when the holder died before writing it. */
  readonly owner: string
  readonly ttlMs: number | undefined
  readonly mtimeMs: number
}

/** The lock's owner, ttl and mtime; undefined when there is no lock. */
async function readLock(lockPath: string): Promise<LockFile | undefined> {
  try {
    const [text, { mtimeMs }] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)])
    return { ...parseLock(text), mtimeMs }
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

function parseLock(text: string): { owner: string; ttlMs: number | undefined } {
  try {
    const { owner, ttlMs } = JSON.parse(text) as { owner?: unknown; ttlMs?: unknown }
    return {
      owner: typeof owner === 'string' ? owner : '',
      ttlMs: typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0 ? ttlMs : undefined,
    }
  } catch {
    return { owner: '', ttlMs: undefined }
  }
}
