import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomApiRouter } from '../src/custom-api/create-custom-api-router'
import { isCustomApiName, notImplementedMessage } from '../src/custom-api/custom-api-contract'

let dir: string
let outside: string
let loadedLog: string

/** A module that records that it was loaded, then answers like an implementation would. */
const recorder = (log: string) =>
  `require('node:fs').appendFileSync(${JSON.stringify(log)}, __filename + '\\n')\n` +
  `module.exports = async () => ({ code: 0, msg: 'loaded ' + __filename })\n`

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'custom-api-containment-'))
  outside = mkdtempSync(path.join(tmpdir(), 'custom-api-outside-'))
  loadedLog = path.join(outside, 'loaded.log')
  mkdirSync(path.join(dir, 'api', 'nested'), { recursive: true })
  mkdirSync(path.join(dir, 'apiX'))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }')
  writeFileSync(path.join(outside, 'package.json'), '{ "type": "commonjs" }')
  writeFileSync(path.join(dir, 'api', 'sendPrize.js'), "module.exports = async () => ({ code: 0, msg: 'suc' })\n")
  // Everything a traversing or absolute name could reach, and one file inside api/ that no plain name names.
  for (const file of [
    path.join(dir, 'secret.js'),
    path.join(dir, 'index.js'),
    path.join(dir, 'apiX', 'secret.js'),
    path.join(dir, 'api', 'nested', 'inner.js'),
    path.join(outside, 'secret.js'),
  ]) {
    writeFileSync(file, recorder(loadedLog))
  }
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

const segments = [
  '..',
  '.',
  '...',
  'api',
  'apiX',
  'secret',
  'secret.js',
  'index',
  'nested',
  'inner',
  'sendPrize',
  '__proto__',
  'constructor',
  '%2e%2e',
  '%2f',
  '\u0000',
  '\u2025',
  '\uff0e\uff0e',
  '\u202e',
  '~',
  ' ',
]
const traversal = fc
  .tuple(
    fc.constantFrom('', '/', '\\', 'C:\\', 'file://', '\\\\?\\'),
    fc.array(fc.constantFrom(...segments), { minLength: 1, maxLength: 6 }),
    fc.constantFrom('/', '\\', '%2F', '\u2215'),
  )
  .map(([prefix, parts, separator]) => prefix + parts.join(separator))
const names = fc.oneof(
  traversal,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('sendPrize', 'secret', 'index', 'nested', 'hasOwnProperty', 'toString', 'prototype', '__defineGetter__', 'valueOf'),
  fc.constant(null).map(() => path.join(outside, 'secret')),
  fc.constant(null).map(() => path.join(dir, 'secret.js')),
  fc.anything(),
)

describe('createCustomApiRouter containment (property)', () => {
  it('never loads a file outside api/ whatever the name; -3 for a name that is not a plain identifier, -1 for one with no file', async () => {
    const main = createCustomApiRouter({ dir })
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const answer = await main({ pageModuleCustomApi: 1, module: 'tcb:SignUp', name, data: {}, requestId: 'req-property' })
        if (name === 'sendPrize') expect(answer).toEqual({ code: 0, msg: 'suc' })
        else if (isCustomApiName(name)) expect(answer).toEqual({ code: -1, msg: notImplementedMessage(name) })
        else expect(answer).toMatchObject({ code: -3 })
        expect(existsSync(loadedLog) ? readFileSync(loadedLog, 'utf8') : '').toBe('')
      }),
      { numRuns: 3000 },
    )
  })

  it('does load a recording file placed inside api/ (the probe works)', async () => {
    writeFileSync(path.join(dir, 'api', 'probe.js'), recorder(loadedLog))
    await expect(
      createCustomApiRouter({ dir })({ pageModuleCustomApi: 1, module: 'tcb:SignUp', name: 'probe', data: {}, requestId: 'req-probe' }),
    ).resolves.toMatchObject({ code: 0 })
    expect(readFileSync(loadedLog, 'utf8')).toContain(path.join(dir, 'api', 'probe.js'))
    rmSync(loadedLog)
  })
})
