import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isAlive } from '../../../../test/is-alive'
import { createFunctionPool, type FunctionPool } from './function-pool'

const functionsDir = path.join(import.meta.dirname, '../../../../test/fixtures/cloudfunctions')
const pools: FunctionPool[] = []

function poolWith(initTimeoutSeconds?: number): FunctionPool {
  const pool = createFunctionPool({
    functionsDir,
    maxInstances: 2,
    idleMs: 10_000,
    output: () => {},
    instanceEnvironment: () => ({ PATH: process.env.PATH ?? '' }),
    ...(initTimeoutSeconds === undefined ? {} : { initTimeoutSeconds }),
  })
  pools.push(pool)
  return pool
}

const invocation = (functionName: string, event: unknown = {}) => ({ functionName, event, context: {}, environment: {} })

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
})

describe('function pool: initialization is timed apart from the handler', () => {
  it('runs a function whose module load takes longer than its timeout, since the timeout counts from the handler', async () => {
    // slow-init: timeout 1 s in config.json, index.js takes 2 s to load, main answers at once.
    const outcome = await poolWith().invoke(invocation('slow-init', { n: 1 }))
    expect(outcome).toMatchObject({ ok: true, result: { event: { n: 1 } } })
  })

  it('fails a handler slower than the timeout with SCF’s message', async () => {
    await expect(poolWith().invoke(invocation('hang'))).resolves.toEqual({
      ok: false,
      reason: 'timeout',
      message: 'Invoking task timed out after 1 seconds',
    })
  })

  it('fails an initialization slower than the init limit with a message that says so', async () => {
    const outcome = await poolWith(0.5).invoke(invocation('slow-init'))
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' })
    expect((outcome as { message: string }).message).toMatch(
      /^Function initialization timed out after 0\.5 seconds \(starting the instance/,
    )
  })

  it('fails the call when index.js throws while loading', async () => {
    const outcome = await poolWith().invoke(invocation('throws-on-load'))
    expect(outcome).toEqual({ ok: false, reason: 'error', message: 'boom while loading throws-on-load' })
  })
})

describe('function pool: replacing the instances of a changed function', () => {
  const folders: string[] = []
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
  })

  /** A function answering its code version and pid; an event `{ gate }` marks `<gate>.started` and keeps it busy until `gate` exists. */
  function versionedFunction(version: number): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'page-module-pool-'))
    folders.push(dir)
    mkdirSync(path.join(dir, 'versioned'))
    writeFileSync(path.join(dir, 'versioned', 'config.json'), JSON.stringify({ timeout: 20 }))
    writeVersion(dir, version)
    writeFileSync(
      path.join(dir, 'versioned', 'index.js'),
      [
        "const { existsSync, writeFileSync } = require('node:fs')",
        "const { version } = require('./version.js')",
        'exports.main = async (event) => {',
        "  if (event.gate) writeFileSync(event.gate + '.started', '')",
        '  while (event.gate && !existsSync(event.gate)) await new Promise((resolve) => setTimeout(resolve, 20))',
        '  return { version, pid: process.pid }',
        '}',
      ].join('\n'),
    )
    return dir
  }
  const writeVersion = (dir: string, version: number) =>
    writeFileSync(path.join(dir, 'versioned', 'version.js'), `exports.version = ${version}\n`)

  function poolOver(dir: string): FunctionPool {
    const pool = createFunctionPool({
      functionsDir: dir,
      maxInstances: 1,
      idleMs: 60_000,
      output: () => {},
      instanceEnvironment: () => ({ PATH: process.env.PATH ?? '' }),
    })
    pools.push(pool)
    return pool
  }

  it('stops an idle instance at once; the next call loads the new code', async () => {
    const dir = versionedFunction(1)
    const pool = poolOver(dir)
    const first = (await pool.invoke(invocation('versioned'))) as { ok: true; result: { version: number; pid: number } }
    expect(first.result.version).toBe(1)
    writeVersion(dir, 2)
    pool.replace('versioned')
    await vi.waitFor(() => expect(isAlive(first.result.pid)).toBe(false))
    const second = (await pool.invoke(invocation('versioned'))) as { ok: true; result: { version: number; pid: number } }
    expect(second.result.version).toBe(2)
    expect(second.result.pid).not.toBe(first.result.pid)
  })

  it('lets a busy instance finish its call, then stops it instead of handing it to the call that waited', async () => {
    const dir = versionedFunction(1)
    const pool = poolOver(dir)
    const gate = path.join(dir, 'gate')
    const busy = pool.invoke(invocation('versioned', { gate }))
    // maxInstances 1: this call waits for the busy instance's slot.
    const waiting = pool.invoke(invocation('versioned'))
    await vi.waitFor(() => expect(existsSync(`${gate}.started`)).toBe(true))
    writeVersion(dir, 2)
    pool.replace('versioned')
    writeFileSync(gate, '')
    const [old, fresh] = (await Promise.all([busy, waiting])) as Array<{ ok: true; result: { version: number; pid: number } }>
    expect(old!.result.version).toBe(1)
    expect(fresh!.result.version).toBe(2)
    expect(fresh!.result.pid).not.toBe(old!.result.pid)
    await vi.waitFor(() => expect(isAlive(old!.result.pid)).toBe(false))
  })
})
