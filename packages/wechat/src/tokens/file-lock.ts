import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { systemErrorCode } from '../client/system-error-code'
import { createOwnerId } from './token-store'

interface LockContent {
  readonly owner: string
  readonly expiresAt: number
}

/**
 * A lock file created with O_EXCL, holding its owner and expiry. A lock past its expiry (its holder died)
 * is broken by renaming it away, which only one process can do; release deletes the file only while it is
 * still ours. Resolves with the release function, or undefined when someone else holds the lock.
 */
export async function tryLockFile(lockPath: string, ttlMs: number, now: () => number): Promise<(() => Promise<void>) | undefined> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const owner = createOwnerId()
    const content = JSON.stringify({ owner, expiresAt: now() + ttlMs } satisfies LockContent)
    try {
      const handle = await open(lockPath, 'wx')
      try {
        await handle.writeFile(content)
      } finally {
        await handle.close()
      }
      return () => releaseLockFile(lockPath, owner)
    } catch (error) {
      if (systemErrorCode(error) !== 'EEXIST') throw error
    }
    const held = await readLock(lockPath, ttlMs)
    if (held === 'missing') continue
    if (held.expiresAt > now()) return undefined
    if (!(await breakStaleLock(lockPath, held))) return undefined
  }
  return undefined
}

async function breakStaleLock(lockPath: string, stale: LockContent): Promise<boolean> {
  const aside = `${lockPath}.${createOwnerId()}.stale`
  try {
    await rename(lockPath, aside)
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return true
    throw error
  }
  const moved = await readLock(aside, 0)
  if (moved !== 'missing' && moved.owner !== stale.owner) {
    // Between our read and the rename, another process broke the stale lock and took a fresh one: put it back.
    await link(aside, lockPath).catch(() => undefined)
    await unlink(aside).catch(() => undefined)
    return false
  }
  await unlink(aside).catch(() => undefined)
  return true
}

async function releaseLockFile(lockPath: string, owner: string): Promise<void> {
  const held = await readLock(lockPath, 0)
  if (held !== 'missing' && held.owner === owner) await unlink(lockPath).catch(() => undefined)
}

async function readLock(lockPath: string, ttlMs: number): Promise<LockContent | 'missing'> {
  try {
    const text = await readFile(lockPath, 'utf8')
    const parsed = parseLock(text)
    if (parsed !== undefined) return parsed
    // A holder that died between creating and writing the file: its age tells when it went stale.
    const { mtimeMs } = await stat(lockPath)
    return { owner: '', expiresAt: mtimeMs + ttlMs }
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return 'missing'
    throw error
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>
    return typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'number'
      ? { owner: parsed.owner, expiresAt: parsed.expiresAt }
      : undefined
  } catch {
    return undefined
  }
}
