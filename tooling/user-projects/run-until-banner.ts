import { spawn } from 'node:child_process'
import { expect, vi } from 'vitest'
import { userEnvironment } from './npm-project'

/** A value of the emulator's banner: `bannerValue(banner, 'secretKey')`. */
export function bannerValue(banner: string, name: string): string {
  const match = new RegExp(`^\\s*${name}\\s+(\\S+)`, 'm').exec(banner)
  if (!match) throw new Error(`the banner has no ${name}:\n${banner}`)
  return match[1]!
}

/**
 * Starts `command` (`npx page-module dev …`), waits for the emulator's banner, checks that it answers, runs `meanwhile`
 * with the banner and the emulator's url, then stops it with Ctrl-C; resolves with everything it printed and whether
 * it stopped answering.
 */
export async function runUntilBanner(
  command: string,
  args: readonly string[],
  cwd: string,
  meanwhile: (banner: string, url: string) => Promise<void> = async () => {},
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
    await meanwhile(output, url)
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
