import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { describe, expect, it, vi } from 'vitest'
import { isAlive } from './is-alive'

const bin = path.join(import.meta.dirname, '../bin/page-module.mjs')
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')

/** Starts `page-module dev` and waits for the url it prints; `output()` is everything it printed so far. */
async function startDev(args: readonly string[]) {
  const cli = spawn(process.execPath, [bin, 'dev', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let printed = ''
  cli.stdout.on('data', (chunk) => (printed += String(chunk)))
  cli.stderr.on('data', (chunk) => (printed += String(chunk)))
  const url = await vi
    .waitFor(
      () => {
        const found = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(printed)?.[1]
        if (!found) throw new Error(`no url yet:\n${printed}`)
        return found
      },
      { timeout: 10_000 },
    )
    .catch((error: unknown) => {
      cli.kill('SIGKILL')
      throw error
    })
  const output = () => printed
  const secretId = /secretId\s+(\S+)/.exec(printed)?.[1]
  const secretKey = /secretKey\s+(\S+)/.exec(printed)?.[1]
  return { cli, url, output, secretId, secretKey }
}

describe('page-module dev (built)', () => {
  it('prints its url and credentials (CloudBase and WeChat), serves calls on both APIs, and on Ctrl-C stops with its function processes', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-cli-data-'))
    const { cli, url, output, secretId, secretKey } = await startDev(['--functions', functionsDir, '--env', 'cli-env', '--data', dataDir])
    try {
      expect(secretId).toMatch(/^AKIDlocal/)
      const app = tcb.init({ env: 'cli-env', secretId: secretId!, secretKey: secretKey!, serviceUrl: `${url}/admin` })
      const { result } = (await app.callFunction({ name: 'echo', data: { via: 'cli' } })) as { result: { pid: number; event: unknown } }
      expect(result.event).toEqual({ via: 'cli' })
      expect(output()).toMatch(/echo ← server {2}ok/)

      // The banner lists the functions found and says edits reload.
      expect(output()).toMatch(/^ {2}functions {3}(\S+, )*echo(, \S+)*$/m)
      expect(output()).toContain('  reload      on:')
      // A refused request is one line with its reason, and the key it was signed with appears nowhere.
      const wrongKey = 'wrong-key-for-the-cli-0123456789'
      const wrong = tcb.init({ env: 'cli-env', secretId: secretId!, secretKey: wrongKey, serviceUrl: `${url}/admin` })
      await expect(wrong.callFunction({ name: 'echo', data: {} })).rejects.toMatchObject({ code: 'SIGN_PARAM_INVALID' })
      await vi.waitFor(() => expect(output()).toMatch(/^✕ POST \/admin functions\.invokeFunction refused {2}SIGN_PARAM_INVALID: /m))
      expect(output()).not.toContain(wrongKey)
      // Piped, not a terminal: no ANSI escapes anywhere.
      expect(output()).not.toContain('\u001b')

      // WeChat's endpoints, with the app credentials it printed: a token, then tcb/invokecloudfunction with it.
      const appId = /appId\s+(\S+)/.exec(output())?.[1]
      const appSecret = /appSecret\s+(\S+)/.exec(output())?.[1]
      expect(output()).toContain(`apiBaseUrl ${url}`)
      const token = (await (
        await fetch(`${url}/cgi-bin/token?${new URLSearchParams({ grant_type: 'client_credential', appid: appId!, secret: appSecret! })}`)
      ).json()) as { access_token: string }
      const invoked = await fetch(
        `${url}/tcb/invokecloudfunction?${new URLSearchParams({ access_token: token.access_token, env: 'cli-env', name: 'echo' })}`,
        { method: 'POST', body: JSON.stringify({ via: 'wechat' }) },
      )
      const { resp_data: respData } = (await invoked.json()) as { resp_data: string }
      expect(JSON.parse(respData)).toMatchObject({ event: { via: 'wechat' }, wxContext: { APPID: appId } })

      const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
      cli.kill('SIGINT')
      expect(await exited).toBe(0)
      await vi.waitFor(() => expect(isAlive(result.pid)).toBe(false))
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 30_000)

  it('reloads an edited function: the next call runs the new code without a restart', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'page-module-cli-functions-'))
    const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-cli-data-'))
    cpSync(path.join(functionsDir, 'reloadable'), path.join(copy, 'reloadable'), { recursive: true })
    const { cli, url, output, secretId, secretKey } = await startDev(['--functions', copy, '--data', dataDir])
    try {
      const app = tcb.init({ env: 'local', secretId: secretId!, secretKey: secretKey!, serviceUrl: `${url}/admin` })
      const answer = async () =>
        ((await app.callFunction({ name: 'reloadable', data: {} })) as { result: { answer: string } }).result.answer
      expect(await answer()).toBe('first')
      writeFileSync(path.join(copy, 'reloadable/api/answer.js'), "module.exports = () => 'edited'\n")
      await vi.waitFor(async () => expect(await answer()).toBe('edited'), { timeout: 10_000, interval: 100 })
      expect(output()).toContain('! reloadable: api/answer.js changed — its next call runs the new code')
      const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
      cli.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL')
      rmSync(copy, { recursive: true, force: true })
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 30_000)

  it('refuses a bad port with exit code 1', async () => {
    const cli = spawn(process.execPath, [bin, 'dev', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let errors = ''
    cli.stderr.on('data', (chunk) => (errors += String(chunk)))
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve))
    expect(code).toBe(1)
    expect(errors).toContain('--port must be a port number')
  })

  it('refuses a storage size limit that is not a number of bytes with exit code 1', async () => {
    const cli = spawn(process.execPath, [bin, 'dev', '--functions', functionsDir, '--max-storage-file-bytes', 'lots'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let errors = ''
    cli.stderr.on('data', (chunk) => (errors += String(chunk)))
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve))
    expect(code).toBe(1)
    expect(errors).toContain('maxStorageFileBytes must be a positive whole number of bytes')
  })
})
