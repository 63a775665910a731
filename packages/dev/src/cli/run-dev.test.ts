import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runDev, type DevOptions } from './run-dev'

const functionsDir = path.join(import.meta.dirname, '../../test/fixtures/cloudfunctions')
const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-dev-data-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function devOnce(reset: boolean, during: NonNullable<DevOptions['until']>) {
  const lines: string[] = []
  return runDev({ functionsDir, dataDir, reset, log: () => {}, print: (line) => lines.push(line), until: during }).then(() => lines)
}

describe('page-module dev --data / --reset', () => {
  it('keeps the database in the data folder between runs, and --reset empties it', async () => {
    const lines = await devOnce(false, async (emulator) => {
      emulator.database.seed('notes', [{ _id: 'n1', text: 'kept' }])
    })
    expect(lines.join('\n')).toContain(`database    ${path.join(dataDir, 'database')}`)
    expect(lines).toContain('  reload      on: an edited, added or removed file under a function folder gives its next call the new code')
    const listed = lines
      .find((line) => line.startsWith('  functions   '))
      ?.slice('  functions   '.length)
      .split(', ')
    expect(listed).toEqual(expect.arrayContaining(['echo', 'reloadable', 'custom-api-prizes', 'throws']))
    await devOnce(false, async (emulator) => {
      expect(emulator.database.read('notes')).toEqual([{ _id: 'n1', text: 'kept' }])
    })
    await devOnce(true, async (emulator) => {
      expect(emulator.database.hasCollection('notes')).toBe(false)
    })
  })
})
