import { randomUUID } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { PageModuleError } from '@page-module/core'
import { tryLockFile } from './file-lock'
import { systemErrorCode } from '../client/system-error-code'
import { applyCompareAndSet, applyExpire, assertAppId, type CompareAndSetResult, type StoredToken, type TokenStore } from './token-store'

export interface FileTokenStoreOptions {
  /** The clock that expires locks; `Date.now` by default. */
  readonly now?: () => number
}

type TokenFile = Record<string, StoredToken>

// Read-modify-write of the token file takes microseconds; a holder older than this has died.
const WRITE_LOCK_TTL_MS = 5_000
const WRITE_LOCK_WAIT_MS = 10_000

/**
 * Tokens of every appid in one JSON file, shared by the processes of one machine (or a shared volume).
 * Writes go to a temporary file renamed over the old one, so a reader never sees half a file; each
 * read-modify-write holds `<path>.lock`, and the fetch lock of an appid is `<path>.<appid>.fetch-lock`.
 */
export function createFileTokenStore(path: string, options: FileTokenStoreOptions = {}): TokenStore {
  if (typeof path !== 'string' || path === '') {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      message: 'createFileTokenStore needs the path of the token file.',
      requestSent: false,
    })
  }
  const now = options.now ?? Date.now

  async function readTokens(): Promise<TokenFile> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as TokenFile
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return {}
      throw error
    }
  }

  async function update<Result>(change: (tokens: TokenFile) => { tokens: TokenFile | undefined; result: Result }): Promise<Result> {
    const release = await waitForWriteLock()
    try {
      const { tokens, result } = change(await readTokens())
      if (tokens !== undefined) {
        const temporary = `${path}.${randomUUID()}.tmp`
        await writeFile(temporary, JSON.stringify(tokens))
        await rename(temporary, path)
      }
      return result
    } finally {
      await release()
    }
  }

  async function waitForWriteLock(): Promise<() => Promise<void>> {
    const deadline = Date.now() + WRITE_LOCK_WAIT_MS
    for (;;) {
      const release = await tryLockFile(`${path}.lock`, WRITE_LOCK_TTL_MS, now)
      if (release !== undefined) return release
      if (Date.now() > deadline) {
        throw new PageModuleError({
          code: 'WECHAT_TOKEN_LOCK_TIMEOUT',
          message: `the token file ${path} stayed locked for ${WRITE_LOCK_WAIT_MS} ms — check that ${path}.lock is not left by a process that cannot be killed.`,
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
      const release = await tryLockFile(`${path}.${appId}.fetch-lock`, ttlMs, now)
      return release === undefined ? undefined : { release }
    },
  }
}
