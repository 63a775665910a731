import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../dev/src/emulator/start-emulator'
import { mountWeChatApi, type MountedWeChatApi } from '../../dev/src/emulator/wechat/mount-wechat-api'

// The README's storage example, run as written against the emulator. Like the demo it runs on the built package
// (`verify` builds first): the example imports @page-module/wechat/storage, resolved from this package's dist.
const packageDir = path.resolve(import.meta.dirname, '..')
const functionsDir = path.resolve(packageDir, '../dev/test/fixtures/cloudfunctions')
let emulator: Emulator
let wechat: MountedWeChatApi

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'readme-env', log: () => undefined })
  wechat = mountWeChatApi(emulator)
})
afterAll(() => emulator.close())

function readmeExample(): string {
  const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8')
  const block = /```js\n(\/\/ storage-example\.mjs[\s\S]*?)```/.exec(readme)?.[1]
  if (block === undefined) throw new Error('the README has no storage-example.mjs block')
  return block
}

function runNode(file: string, environment: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: packageDir, env: { PATH: process.env.PATH ?? '', ...environment } })
    let output = ''
    child.stdout.on('data', (chunk) => (output += String(chunk)))
    child.stderr.on('data', (chunk) => (output += String(chunk)))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe('the README storage example', () => {
  it('uploads a stream, links, downloads and deletes, as printed', async () => {
    // Inside the package, so that the example's import resolves to the package itself.
    const folder = mkdtempSync(path.join(packageDir, '.readme-example-'))
    try {
      const file = path.join(folder, 'storage-example.mjs')
      writeFileSync(file, readmeExample())
      const { code, output } = await runNode(file, {
        CLOUD_ENV: emulator.env,
        WECHAT_APPID: wechat.appId,
        WECHAT_SECRET: wechat.appSecret,
        WECHAT_API_BASE_URL: wechat.apiBaseUrl,
      })
      expect(output).toContain('uploaded cloud://readme-env.7265-readme-env/reports/2026-11.csv')
      expect(output).toMatch(/link http:\/\/127\.0\.0\.1:\d+\/\S+\/reports\/2026-11\.csv\n/)
      expect(output).toContain('no link: -503003 storage file not exists')
      expect(output).toContain('downloaded "day,visits\\n2026-11-30,42\\n"')
      expect(output).toContain('deleted [ 0 ]')
      expect(code).toBe(0)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
