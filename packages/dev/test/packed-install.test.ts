import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

const repositoryRoot = path.resolve(import.meta.dirname, '../../..')
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
// The variables pnpm sets for its scripts (npm_config_local_prefix above all) would point npm at this repository.
const userEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)))
let work: string
const tarballs: Record<string, string> = {}

/** `pnpm pack` rewrites `workspace:` ranges as publishing does; npm then installs the tarballs as a user's project would. */
beforeAll(() => {
  const pnpm = process.env.npm_execpath
  if (!pnpm || !/pnpm/.test(pnpm)) throw new Error('run the tests through pnpm (`pnpm verify` or `pnpm test`): they pack with `pnpm pack`')
  work = mkdtempSync(path.join(tmpdir(), 'page-module-packed-'))
  const packed = path.join(work, 'packed')
  mkdirSync(packed)
  for (const folder of ['core', 'host', 'wechat', 'dev', 'page-module-node', 'page-module']) {
    const before = new Set(readdirSync(packed))
    execFileSync(process.execPath, [pnpm, 'pack', '--pack-destination', packed], {
      cwd: path.join(repositoryRoot, 'packages', folder),
      stdio: 'pipe',
    })
    const made = readdirSync(packed).filter((file) => !before.has(file))
    tarballs[folder] = path.join(packed, made[0]!)
  }
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

function project(name: string, devDependencies: readonly string[], dependencies: readonly string[] = []): string {
  const dir = path.join(work, name)
  mkdirSync(dir)
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }))
  const npm = (flags: string[], files: readonly string[]) =>
    files.length > 0 &&
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...flags, ...files], {
      cwd: dir,
      stdio: 'pipe',
      env: userEnvironment,
    })
  npm([], dependencies)
  npm(['--save-dev'], devDependencies)
  return dir
}

function installedPackages(dir: string): string[] {
  const modules = path.join(dir, 'node_modules')
  return readdirSync(modules).flatMap((entry) =>
    entry.startsWith('@')
      ? readdirSync(path.join(modules, entry)).map((scoped) => `${entry}/${scoped}`)
      : entry.startsWith('.')
        ? []
        : [entry],
  )
}

/**
 * Starts `command`, waits for the emulator's banner, runs `meanwhile` with it, stops it with Ctrl-C; resolves with
 * the banner and whether the emulator stopped.
 */
async function runUntilBanner(
  command: string,
  args: readonly string[],
  cwd: string,
  meanwhile: (banner: string) => Promise<void> = async () => {},
): Promise<{ output: string; stopped: boolean }> {
  // A process group of its own: Ctrl-C reaches npm and the emulator it started, as in a terminal.
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: userEnvironment, detached: true })
  let output = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  child.stderr.on('data', (chunk) => (output += String(chunk)))
  try {
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output}`)
        if (!/^http:\/\/127\.0\.0\.1:\d+$/m.test(output)) throw new Error(`no banner yet:\n${output}`)
      },
      { timeout: 60_000, interval: 100 },
    )
    const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)![1]!
    expect(((await (await fetch(`${url}/admin`, { method: 'POST', body: '{}' })).json()) as { code: string }).code).toBe(
      'SIGN_PARAM_INVALID',
    )
    await meanwhile(output)
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    process.kill(-child.pid!, 'SIGINT')
    await exited
    const stopped = await vi.waitFor(
      () =>
        fetch(url).then(
          () => Promise.reject(new Error('still answering')),
          () => true,
        ),
      { timeout: 10_000 },
    )
    return { output, stopped }
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
  }
}

describe('installed from packed tarballs, as a user installs them', () => {
  it('a deployed module function: @page-module/host brings core only — no CLI, emulator or signer', () => {
    const dir = project('module-function', [], [tarballs.host!, tarballs.core!])
    expect(installedPackages(dir).sort()).toEqual(['@page-module/core', '@page-module/host'])
  }, 120_000)

  it('`npm install -D @page-module/dev` then `npx page-module dev` starts the emulator', async () => {
    const dir = project('dev-tools', [tarballs.dev!, tarballs.host!, tarballs.wechat!, tarballs.core!])
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

  it("a newcomer's Node project: `npm install page-module`, `npm install -D @page-module/dev`, `npx page-module dev`, call it", async () => {
    const dir = project(
      'newcomer',
      [tarballs.dev!, tarballs.host!],
      [tarballs['page-module']!, tarballs['page-module-node']!, tarballs.wechat!, tarballs.core!],
    )
    const examples = path.join(repositoryRoot, 'examples/cloudfunctions')
    const { stopped } = await runUntilBanner(
      'npx',
      ['page-module', 'dev', '--functions', examples, '--env', 'local'],
      dir,
      async (banner) => {
        const [serviceUrl, secretId, secretKey] = ['serviceUrl', 'secretId', 'secretKey'].map(
          (name) => new RegExp(`${name}\\s+(\\S+)`).exec(banner)![1]!,
        )
        // The root README's Node snippet, with the emulator's serviceUrl and keys.
        const script = `
        const PageModule = require('page-module')
        const { SECRET_ID: secretId, SECRET_KEY: secretKey, SERVICE_URL: serviceUrl } = process.env
        const signUp = new PageModule('tcb:SignUp', { secretId, secretKey, env: 'local', serviceUrl })
        signUp.callMethod('doSignIn', { userId: 'u-newcomer', day: '2026-11-30' }).then((answer) => console.log(JSON.stringify(answer)))
      `
        const answer = execFileSync(process.execPath, ['-e', script], {
          cwd: dir,
          env: { ...userEnvironment, SERVICE_URL: serviceUrl, SECRET_ID: secretId, SECRET_KEY: secretKey },
          encoding: 'utf8',
        })
        expect(JSON.parse(answer)).toMatchObject({ day: '2026-11-30', streak: 1, prize: { code: 0 } })
      },
    )
    expect(stopped).toBe(true)
  }, 180_000)
})
