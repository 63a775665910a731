import { spawn } from 'node:child_process'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { describe, expect, it, vi } from 'vitest'
import { isAlive } from './is-alive'

const bin = path.join(import.meta.dirname, '../bin/page-module.mjs')
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')

describe('page-module dev (built)', () => {
  it('prints its url and credentials, serves calls, and on Ctrl-C stops with its function processes', async () => {
    const cli = spawn(process.execPath, [bin, 'dev', '--functions', functionsDir, '--env', 'cli-env'], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      let output = ''
      cli.stdout.on('data', (chunk) => (output += String(chunk)))
      cli.stderr.on('data', (chunk) => (output += String(chunk)))
      const url = await vi.waitFor(() => {
        const found = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1]
        if (!found) throw new Error(`no url yet:\n${output}`)
        return found
      }, { timeout: 10_000 })
      const secretId = /secretId\s+(\S+)/.exec(output)?.[1]
      const secretKey = /secretKey\s+(\S+)/.exec(output)?.[1]
      expect(secretId).toMatch(/^AKIDlocal/)
      const app = tcb.init({ env: 'cli-env', secretId: secretId!, secretKey: secretKey!, serviceUrl: `${url}/admin` })
      const { result } = (await app.callFunction({ name: 'echo', data: { via: 'cli' } })) as { result: { pid: number; event: unknown } }
      expect(result.event).toEqual({ via: 'cli' })
      expect(output).toMatch(/echo ← server {2}ok/)

      const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
      cli.kill('SIGINT')
      expect(await exited).toBe(0)
      await vi.waitFor(() => expect(isAlive(result.pid)).toBe(false))
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL')
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
})
