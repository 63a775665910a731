import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNpmProject, installedPackages, packWithPnpm, runUntilBanner } from '@page-module/tooling-user-projects'

const repositoryRoot = path.resolve(import.meta.dirname, '../../..')
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
let work: string
let tarballs: Record<string, string> = {}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'page-module-packed-'))
  mkdirSync(path.join(work, 'packed'))
  tarballs = packWithPnpm(repositoryRoot, ['core', 'host', 'wechat', 'dev'], path.join(work, 'packed'))
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
})
