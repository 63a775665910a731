import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findFunctionFolder, readFunctionConfig, type FunctionConfig } from './function-folder'

/** One invocation as the pool runs it. */
export interface Invocation {
  readonly functionName: string
  readonly event: unknown
  /** The SCF `context` argument of `main`. */
  readonly context: Record<string, unknown>
  /** Variables set in the instance for this invocation only (`WX_OPENID`, `TCB_SEQID`…). */
  readonly environment: Readonly<Record<string, string>>
}

export type InvocationOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly reason: 'not-found' | 'error' | 'timeout' | 'crash'; readonly message: string }

export interface FunctionPoolOptions {
  readonly functionsDir: string
  /** Variables every instance of `functionName` starts with. */
  readonly instanceEnvironment: (functionName: string, config: FunctionConfig) => Record<string, string>
  /** Instances per function at most; more concurrent calls wait for a free one. */
  readonly maxInstances: number
  /** An idle instance is stopped after this many ms. */
  readonly idleMs: number
  /** Receives each line a function prints. */
  readonly output: (functionName: string, line: string) => void
  /** Seconds an instance may take to start and load index.js with its requires. Default SCF's 65. */
  readonly initTimeoutSeconds?: number
}

/** SCF's default initialization limit (its `InitTimeout`), apart from the function's own `timeout`. */
export const DEFAULT_INIT_TIMEOUT_SECONDS = 65

/**
 * The script forked for each instance, beside this file in the source and in `dist/` after the build. Not
 * `new URL(…, import.meta.url)`: bundlers and vitest's browser-like environments rewrite that pattern as an asset URL.
 */
const RUNNER_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'function-runner.cjs')

export interface FunctionPool {
  invoke(invocation: Invocation): Promise<InvocationOutcome>
  /**
   * New code for `functionName`: idle instances stop now, busy ones finish their call and are not reused, so the
   * next call starts an instance that loads the files afresh.
   */
  replace(functionName: string): void
  /** Stops every instance and refuses further calls. */
  close(): Promise<void>
}

interface Instance {
  readonly child: ChildProcess
  readonly config: FunctionConfig
  /** Settles once index.js has loaded (or failed to, or took too long). */
  readonly initialized: Promise<InvocationOutcome | undefined>
  /** The function's code generation when the instance started; an older one is stopped instead of reused. */
  readonly generation: number
  idleTimer?: NodeJS.Timeout
}

interface FunctionInstances {
  readonly idle: Instance[]
  readonly waiting: Array<(instance: Instance | undefined) => void>
  count: number
  generation: number
}

/**
 * Runs each function in its own child processes, like SCF instances: an instance handles one invocation
 * at a time and is kept warm for the next; concurrent calls get new instances up to `maxInstances`.
 */
export function createFunctionPool(options: FunctionPoolOptions): FunctionPool {
  const functions = new Map<string, FunctionInstances>()
  const children = new Set<ChildProcess>()
  let nextId = 0
  let closed = false

  function instancesOf(name: string): FunctionInstances {
    let entry = functions.get(name)
    if (!entry) functions.set(name, (entry = { idle: [], waiting: [], count: 0, generation: 0 }))
    return entry
  }

  function spawn(name: string, folder: string, entry: FunctionInstances): Instance {
    const config = readFunctionConfig(folder)
    const child = fork(RUNNER_FILE, [], {
      cwd: folder,
      env: options.instanceEnvironment(name, config),
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    children.add(child)
    entry.count++
    for (const stream of [child.stdout, child.stderr]) forwardLines(stream, (line) => options.output(name, line))
    child.once('exit', () => {
      children.delete(child)
      entry.count--
      const index = entry.idle.findIndex((instance) => instance.child === child)
      if (index >= 0) entry.idle.splice(index, 1)
      // A slot freed: let a waiting call start a fresh instance.
      entry.waiting.shift()?.(undefined)
    })
    return { child, config, initialized: initializationOf(child, name), generation: entry.generation }
  }

  /** Undefined once the instance is ready; otherwise the outcome its first invocation fails with. */
  function initializationOf(child: ChildProcess, name: string): Promise<InvocationOutcome | undefined> {
    const limitSeconds = options.initTimeoutSeconds ?? DEFAULT_INIT_TIMEOUT_SECONDS
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const message =
          `Function initialization timed out after ${limitSeconds} seconds ` +
          '(starting the instance and loading index.js with its requires) — make the module load faster'
        finish({ ok: false, reason: 'timeout', message })
      }, limitSeconds * 1000)
      const onMessage = (message: { type?: string; error?: { message?: string; stack?: string } }) => {
        if (message.type === 'ready') return finish(undefined)
        if (message.type !== 'init-failed') return
        if (message.error?.stack) options.output(name, message.error.stack)
        finish({ ok: false, reason: 'error', message: message.error?.message ?? 'index.js failed to load' })
      }
      const onExit = (code: number | null, signal: string | null) => {
        finish({
          ok: false,
          reason: 'crash',
          message: `the function's process exited (${signal ?? `code ${code}`}) while loading index.js`,
        })
      }
      function finish(outcome: InvocationOutcome | undefined) {
        clearTimeout(timer)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(outcome)
      }
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  }

  async function acquire(name: string, folder: string): Promise<Instance> {
    const entry = instancesOf(name)
    for (;;) {
      if (closed) throw new Error('the emulator is stopping')
      const idle = entry.idle.pop()
      if (idle) {
        clearTimeout(idle.idleTimer)
        return idle
      }
      if (entry.count < options.maxInstances) return spawn(name, folder, entry)
      const handed = await new Promise<Instance | undefined>((resolve) => entry.waiting.push(resolve))
      if (handed) return handed
    }
  }

  function release(name: string, instance: Instance): void {
    const entry = instancesOf(name)
    // Its exit frees the slot for a waiting call, which then starts an instance with the new code.
    if (instance.generation !== entry.generation) return void instance.child.kill('SIGKILL')
    const next = entry.waiting.shift()
    if (next) return next(instance)
    instance.idleTimer = setTimeout(() => instance.child.kill('SIGKILL'), options.idleMs)
    instance.idleTimer.unref()
    entry.idle.push(instance)
  }

  function run(instance: Instance, invocation: Invocation): Promise<InvocationOutcome & { keep: boolean }> {
    const id = ++nextId
    const { child, config } = instance
    return new Promise((resolve) => {
      // Counted from the handler's start: initialization has its own limit (see initializationOf).
      const timer = setTimeout(() => {
        finish({ ok: false, reason: 'timeout', message: `Invoking task timed out after ${config.timeout} seconds`, keep: false })
        child.kill('SIGKILL')
      }, config.timeout * 1000)
      const onMessage = (message: {
        type?: string
        id?: number
        ok?: boolean
        result?: unknown
        error?: { message?: string; stack?: string }
      }) => {
        if (message.type !== 'result' || message.id !== id) return
        if (message.ok) return finish({ ok: true, result: message.result, keep: true })
        if (message.error?.stack) options.output(invocation.functionName, message.error.stack)
        finish({ ok: false, reason: 'error', message: message.error?.message ?? 'the function failed', keep: true })
      }
      const onExit = (code: number | null, signal: string | null) => {
        finish({
          ok: false,
          reason: 'crash',
          message: `the function's process exited (${signal ?? `code ${code}`}) before answering`,
          keep: false,
        })
      }
      function finish(outcome: InvocationOutcome & { keep: boolean }) {
        clearTimeout(timer)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(outcome)
      }
      child.on('message', onMessage)
      child.once('exit', onExit)
      child.send(
        { type: 'invoke', id, event: invocation.event, context: invocation.context, environment: invocation.environment },
        (error) => {
          if (error) finish({ ok: false, reason: 'crash', message: `the function's process is gone: ${error.message}`, keep: false })
        },
      )
    })
  }

  return {
    async invoke(invocation) {
      if (closed) return { ok: false, reason: 'crash', message: 'the emulator is stopping' }
      const folder = findFunctionFolder(options.functionsDir, invocation.functionName)
      if (!folder) return { ok: false, reason: 'not-found', message: 'FunctionName parameter could not be found.' }
      let instance: Instance
      try {
        instance = await acquire(invocation.functionName, folder)
      } catch (error) {
        return { ok: false, reason: 'crash', message: (error as Error).message }
      }
      const initFailure = await instance.initialized
      if (initFailure !== undefined) {
        if (instance.child.exitCode === null) instance.child.kill('SIGKILL')
        return initFailure
      }
      const { keep, ...outcome } = await run(instance, invocation)
      if (keep && !closed && instance.child.exitCode === null) release(invocation.functionName, instance)
      else if (instance.child.exitCode === null) instance.child.kill('SIGKILL')
      return outcome
    },
    replace(functionName) {
      const entry = functions.get(functionName)
      if (!entry) return
      entry.generation++
      for (const instance of entry.idle.splice(0)) {
        clearTimeout(instance.idleTimer)
        instance.child.kill('SIGKILL')
      }
    },
    async close() {
      closed = true
      const exits = [...children].map(
        (child) =>
          new Promise<void>((resolve) =>
            child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
          ),
      )
      for (const child of children) child.kill('SIGKILL')
      for (const entry of functions.values()) for (const waiting of entry.waiting.splice(0)) waiting(undefined)
      await Promise.all(exits)
    },
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (!stream) return
  let pending = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) write(line)
  })
  stream.on('end', () => {
    if (pending) write(pending)
  })
}
