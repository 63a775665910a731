import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator, type Emulator } from '@page-module/dev'
import { generateSm2KeyPair } from '@page-module/host/sm'

export interface SmCloud {
  readonly emulator: Emulator
  /** The module's public key; its private key is only in the function's config.json. */
  readonly publicKey: string
  /** The emulator's lines, the function's printed event among them. */
  readonly log: readonly string[]
  close(): Promise<void>
}

/** The emulator with one function, tcb-Profile (test/fixtures/sm-profile-module.cjs), holding a fresh SM2 private key. */
export async function startSmCloud(): Promise<SmCloud> {
  const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-sm-functions-'))
  const { publicKey, privateKey } = generateSm2KeyPair()
  const functionDir = path.join(functionsDir, 'tcb-Profile')
  mkdirSync(functionDir)
  const fixture = path.resolve(import.meta.dirname, 'fixtures/sm-profile-module.cjs')
  writeFileSync(path.join(functionDir, 'index.js'), `module.exports = require(${JSON.stringify(fixture)})\n`)
  writeFileSync(
    path.join(functionDir, 'config.json'),
    JSON.stringify({ timeout: 10, envVariables: { PAGE_MODULE_SM2_PRIVATE_KEY: privateKey } }),
  )
  const log: string[] = []
  const emulator = await startEmulator({ functionsDir, env: 'sm-env', log: (line) => log.push(line) })
  return {
    emulator,
    publicKey,
    log,
    async close() {
      await emulator.close()
      rmSync(functionsDir, { recursive: true, force: true })
    },
  }
}
