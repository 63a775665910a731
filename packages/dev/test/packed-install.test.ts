import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createNpmProject,
  installedPackages,
  npmInstall,
  packWithPnpm,
  runUntilBanner,
  userEnvironment,
} from '@page-module/tooling-user-projects'
import { startEmulator } from '../src/emulator/start-emulator'
import { mountWeChatApi } from '../src/emulator/wechat/mount-wechat-api'

const repositoryRoot = path.resolve(import.meta.dirname, '../../..')
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
const examplesDir = path.join(repositoryRoot, 'examples/cloudfunctions')
let work: string
let tarballs: Record<string, string> = {}
const execFileAsync = promisify(execFile)

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'page-module-packed-'))
  mkdirSync(path.join(work, 'packed'))
  tarballs = packWithPnpm(repositoryRoot, ['core', 'host', 'wechat', 'dev', 'page-module-node', 'page-module'], path.join(work, 'packed'))
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('installed from packed tarballs, as a user installs them', () => {
  it('a deployed module function: @page-module/host brings core only — no CLI, emulator or signer', () => {
    const dir = createNpmProject(path.join(work, 'module-function'), { dependencies: [tarballs.host!, tarballs.core!] })
    expect(installedPackages(dir).sort()).toEqual(['@page-module/core', '@page-module/host'])
  }, 120_000)

  it('`npm install -D @page-module/dev` then `npx page-module dev` starts the emulator', async () => {
    const dir = createNpmProject(path.join(work, 'dev-tools'), {
      devDependencies: [tarballs.dev!, tarballs.host!, tarballs.wechat!, tarballs.core!],
    })
    const { output, stopped } = await runUntilBanner('npx', ['page-module', 'dev', '--functions', functionsDir], dir)
    expect(output).toMatch(/serviceUrl {2}http:\/\/127\.0\.0\.1:\d+\/admin/)
    expect(output).toMatch(/apiBaseUrl http:\/\/127\.0\.0\.1:\d+/)
    expect(stopped).toBe(true)
  }, 180_000)

  it('`npx @page-module/dev dev` runs with nothing installed in the project (npm exec of the package)', async () => {
    const dir = path.join(work, 'nothing-installed')
    mkdirSync(dir)
    const packages = [tarballs.dev!, tarballs.host!, tarballs.wechat!, tarballs.core!].flatMap((file) => ['--package', file])
    const { output, stopped } = await runUntilBanner(
      'npm',
      ['exec', '--yes', ...packages, '--', 'page-module', 'dev', '--functions', functionsDir],
      dir,
    )
    expect(output).toMatch(/serviceUrl {2}http:\/\/127\.0\.0\.1:\d+\/admin/)
    expect(stopped).toBe(true)
  }, 180_000)

  it('`npm install page-module` brings core, the Node adapter and page-module only; the WeChat-API way asks for @page-module/wechat', async () => {
    const dir = createNpmProject(path.join(work, 'node-server'), {
      dependencies: [tarballs['page-module']!, tarballs['page-module-node']!, tarballs.core!],
    })
    expect(installedPackages(dir).sort()).toEqual(['@page-module/core', '@page-module/node', 'page-module'])
    const emulator = await startEmulator({ functionsDir: examplesDir, env: 'slim-env', log: () => undefined })
    try {
      const wechat = mountWeChatApi(emulator)
      // The root README's Node snippet, with an appId and appSecret instead of CloudBase keys. Run without blocking: the
      // emulator answers from this process.
      const script = `
        const PageModule = require('page-module')
        const { APP_ID: appId, APP_SECRET: appSecret, API_BASE_URL: apiBaseUrl } = process.env
        const signUp = new PageModule('tcb:SignUp', { appId, appSecret, env: 'slim-env', apiBaseUrl })
        signUp.callMethod('getSignInStatus', { userId: 'u-slim' }).then(
          (answer) => console.log(JSON.stringify({ answer })),
          ({ code, requestSent, message }) => console.log(JSON.stringify({ error: { code, requestSent, message } })),
        )
      `
      const environment = { ...userEnvironment, APP_ID: wechat.appId, APP_SECRET: wechat.appSecret, API_BASE_URL: wechat.apiBaseUrl }
      const call = async () => {
        const { stdout } = await execFileAsync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: environment })
        return JSON.parse(stdout) as { answer?: unknown; error?: { code: string; requestSent: boolean; message: string } }
      }
      expect(await call()).toEqual({
        error: {
          code: 'INVALID_OPTIONS',
          requestSent: false,
          message: expect.stringContaining(
            'needs @page-module/wechat (tokens and the WeChat client) — install it next to page-module: npm install @page-module/wechat',
          ),
        },
      })
      expect(wechat.wechat.counters).toMatchObject({ tokenRequests: 0, stableTokenRequests: 0, invocations: 0 })

      npmInstall(dir, [tarballs.wechat!])
      expect(await call()).toEqual({ answer: expect.objectContaining({ signedToday: false }) })
      expect(wechat.wechat.counters).toMatchObject({ stableTokenRequests: 1, invocations: 1 })
    } finally {
      await emulator.close()
    }
  }, 180_000)
})
