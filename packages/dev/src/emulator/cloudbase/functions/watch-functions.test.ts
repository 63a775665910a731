import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator } from '../../start-emulator'
import { isAlive } from '../../../../test/is-alive'

const fixture = path.join(import.meta.dirname, '../../../../test/fixtures/cloudfunctions/reloadable')
const started: Array<{ emulator: Emulator; functionsDir: string }> = []

afterEach(async () => {
  for (const { emulator, functionsDir } of started.splice(0)) {
    await emulator.close()
    rmSync(functionsDir, { recursive: true, force: true })
  }
})

/** The emulator over a temp copy of the `reloadable` fixture, with every log line kept. */
async function emulatorOverCopy(watch: boolean) {
  const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-watch-'))
  cpSync(fixture, path.join(functionsDir, 'reloadable'), { recursive: true })
  const lines: string[] = []
  const emulator = await startEmulator({ functionsDir, watch, log: (line) => lines.push(line), idleMs: 600_000 })
  started.push({ emulator, functionsDir })
  const answerOf = async (name = 'reloadable') => {
    const outcome = await emulator.invokeFunction(name, {})
    if (!outcome.ok) throw new Error(`${name} failed: ${outcome.message}`)
    return outcome.result as { answer: string; pid: number }
  }
  return { emulator, functionsDir, lines, answerOf }
}

describe('the emulator with watch on', () => {
  it('runs an edited api/ file on a later call, replacing the warm instance', async () => {
    const { functionsDir, lines, answerOf } = await emulatorOverCopy(true)
    const first = await answerOf()
    expect(first.answer).toBe('first')
    writeFileSync(path.join(functionsDir, 'reloadable/api/answer.js'), "module.exports = () => 'edited'\n")
    const edited = await vi.waitFor(
      async () => {
        const current = await answerOf()
        expect(current.answer).toBe('edited')
        return current
      },
      { timeout: 10_000, interval: 50 },
    )
    expect(edited.pid).not.toBe(first.pid)
    // The warm instance that ran the old code was stopped, not left to idle out.
    await vi.waitFor(() => expect(isAlive(first.pid)).toBe(false))
    expect(lines).toContain('! reloadable: api/answer.js changed — its next call runs the new code')
  })

  it('finds a function folder added while it runs, without a restart', async () => {
    const { functionsDir, lines, answerOf } = await emulatorOverCopy(true)
    mkdirSync(path.join(functionsDir, 'added'))
    writeFileSync(path.join(functionsDir, 'added/index.js'), "exports.main = async () => ({ answer: 'new', pid: process.pid })\n")
    await vi.waitFor(async () => expect((await answerOf('added')).answer).toBe('new'), { timeout: 10_000, interval: 50 })
    await vi.waitFor(() => expect(lines).toContain('! new function folder added/ — callable once it has index.js, no restart needed'))
  })
})

describe('the watch option', () => {
  it('is refused when it is not a boolean, before anything starts', async () => {
    await expect(startEmulator({ functionsDir: fixture, watch: 'yes' as unknown as boolean })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('watch must be true'),
    })
  })
})

describe('the emulator with watch off (the default of startEmulator)', () => {
  it('keeps running the code its warm instance loaded', async () => {
    const { emulator, functionsDir, lines, answerOf } = await emulatorOverCopy(false)
    expect(emulator.watching).toBe(false)
    const first = await answerOf()
    writeFileSync(path.join(functionsDir, 'reloadable/api/answer.js'), "module.exports = () => 'edited'\n")
    // Without a watcher nothing can replace the instance: the same process answers the same.
    expect(await answerOf()).toEqual(first)
    expect(lines.some((line) => line.includes('changed'))).toBe(false)
  })
})
