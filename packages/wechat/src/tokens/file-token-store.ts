import { randomUUID } from 'node:crypto'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { PageModuleError } from '@page-module/core'
import { PRIVATE_FILE_MODE, tryLockFile, type HeldLockFile } from './file-lock'
import { systemErrorCode } from '../client/system-error-code'
import { applyCompareAndSet, applyExpire, assertAppId, type CompareAndSetResult, type StoredToken, type TokenStore } from './token-store'

/** Locks expire on the file system's own clock (file mtimes), so the store takes no clock. */
export type FileTokenStoreOptions = Record<string, never>

type TokenFile = Record<string, StoredToken>

// Read-modify-write of the token file takes microseconds; a holder older than this has died.
const WRITE_LOCK_TTL_MS = 5_000
const WRITE_LOCK_WAIT_MS = 10_000

/**
 * Tokens of every appid in one JSON file, shared by the processes of one machine (or a shared volume).
 * Writes go to a temporary file renamed over the old one, so a reader never sees half a file; each
 * read-modify-write holds `<path>.lock`, and the fetch lock of an appid is `<path>.<appid>.fetch-lock`.
 * Every file is created readable by its owner only (0600). A file that is not JSON (empty after a crash or a
 * full disk) reads as no tokens and is replaced by the next write.
 */
export function createFileTokenStore(path: string, _options: FileTokenStoreOptions = {}): TokenStore {
  if (typeof path !== 'string' || path === '') {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'createFileTokenStore needs the path of the token file.',
      requestSent: false,
    })
  }

  async function readTokens(): Promise<TokenFile> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return {}
      throw error
    }
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as TokenFile
    } catch {
      // Not JSON: read as empty, so the next write repairs it.
    }
    return {}
  }

  async function update<Result>(change: (tokens: TokenFile) => { tokens: TokenFile | undefined; result: Result }): Promise<Result> {
    for (let attempt = 1; ; attempt += 1) {
      const lock = await waitForWriteLock()
      try {
        const { tokens, result } = change(await readTokens())
        if (tokens === undefined) return result
        const temporary = `${path}.${randomUUID()}.tmp`
        await writeFile(temporary, JSON.stringify(tokens), { mode: PRIVATE_FILE_MODE })
        // Fencing: a holder that stalled past the lock's ttl may have lost it to another writer; then it starts over.
        if (attempt < 3 && !(await lock.isHeld())) {
          await unlink(temporary).catch(() => undefined)
          continue
        }
        await rename(temporary, path)
        return result
      } finally {
        await lock.release()
      }
    }
  }

  async function waitForWriteLock(): Promise<HeldLockFile> {
    const deadline = Date.now() + WRITE_LOCK_WAIT_MS
    for (;;) {
      const lock = await tryLockFile(`${path}.lock`, WRITE_LOCK_TTL_MS)
      if (lock !== undefined) return lock
      if (Date.now() > deadline) {
        throw new PageModuleError({
          code: 'WECHAT_TOKEN_LOCK_TIMEOUT',
          message:
            `the token file ${path} stayed locked for ${WRITE_LOCK_WAIT_MS} ms — check that ${path}.lock is not left ` +
            `by a process that cannot be killed.`,
          retryable: true,
        })
      }
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8))
    }
  }

  return {
    async get(appId) {
      assertAppId(appId)
      return (await readTokens())[appId]
    },
    compareAndSet(appId, token, expectedVersion) {
      assertAppId(appId)
      return update<CompareAndSetResult>((tokens) => {
        const result = applyCompareAndSet(tokens[appId], token, expectedVersion)
        return { tokens: result.written ? { ...tokens, [appId]: result.current } : undefined, result }
      })
    },
    expire(appId, accessToken) {
      assertAppId(appId)
      return update((tokens) => {
        const expired = applyExpire(tokens[appId], accessToken)
        return { tokens: expired === undefined ? undefined : { ...tokens, [appId]: expired }, result: expired !== undefined }
      })
    },
    async acquireLock(appId, ttlMs) {
      assertAppId(appId)
      const lock = await tryLockFile(`${path}.${appId}.fetch-lock`, ttlMs)
      return lock === undefined ? undefined : { release: lock.release }
    },
  }
}
