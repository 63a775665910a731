import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'

const packageDir = path.join(import.meta.dirname, '..')
const workerScript = path.join(import.meta.dirname, 'fixtures', 'token-worker.mjs')

export interface TokenWorkerConfig {
  readonly store: 'redis' | 'file'
  /** The Redis URL or the token file. */
  readonly location: string
  readonly prefix?: string
  readonly apiBaseUrl: string
  readonly appId: string
  readonly appSecret: string
  readonly calls: number
  readonly lockTtlMs: number
}

export interface TokenWorker {
  readonly child: ChildProcess
  /** Resolves with `acquired` or `refused` when the worker first tries the fetch lock. */
  readonly lockAttempt: Promise<string>
  /** The distinct tokens its calls got. */
  readonly result: Promise<string[]>
  /** The exit code (the worker never calls close(): a timer that kept it alive would hang here). */
  readonly exited: Promise<number | null>
}

/** Fails clearly when the build the workers run is missing. */
export function assertBuilt(): void {
  for (const file of ['dist/index.mjs', 'dist/redis.mjs']) {
    if (!existsSync(path.join(packageDir, file)))
      throw new Error(
        `packages/wechat/${file} is missing: the multi-process tests run the built package — run \`pnpm build\` first (verify does).`,
      )
  }
}

export function startTokenWorker(config: TokenWorkerConfig): TokenWorker {
  const child = spawn(process.execPath, [workerScript], {
    env: { ...process.env, TOKEN_WORKER: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lines = createInterface({ input: child.stdout! })
  const seen = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith(`${prefix} `)) resolve(line.slice(prefix.length + 1))
      })
      void exited.then((code) => reject(new Error(`token worker exited (${code}) before "${prefix}":\n${stderr}`)))
    })
  const lockAttempt = seen('lock-attempt')
  const result = seen('result').then((json) => JSON.parse(json) as string[])
  // A worker killed on purpose never reports: keep those rejections from surfacing as unhandled.
  lockAttempt.catch(() => undefined)
  result.catch(() => undefined)
  return { child, lockAttempt, result, exited }
}
