import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
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
