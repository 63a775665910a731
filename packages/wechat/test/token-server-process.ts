import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'

export interface TokenServerProcess {
  /** The address it printed on its first line, or undefined when that line did not name one. */
  readonly url: string | undefined
  readonly firstLine: string
  /** `GET /v1/token?appid=…`, with the bearer secret when given. */
  getToken(appId: string, secret?: string): Promise<Response>
  /** Sends `signal` and resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>
  /** Kills it if it still runs (for `finally`). */
  kill(): void
}

/** Starts a token server's bin (`node <args>`) with the secret and apps in its environment, once it has listened. */
export async function startTokenServerProcess(
  args: readonly string[],
  { secret, apps }: { secret: string; apps: string },
): Promise<TokenServerProcess> {
  const child: ChildProcessByStdio<null, Readable, null> = spawn(process.execPath, args, {
    env: { ...process.env, PAGE_MODULE_TOKEN_SERVER_SECRET: secret, WECHAT_APPS: apps },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  try {
    const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
    const url = /on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1]
    return {
      url,
      firstLine,
      getToken: (appId, bearer) =>
        fetch(`${url}/v1/token?appid=${appId}`, bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } }),
      stop: (signal) => (child.kill(signal), exited),
      kill,
    }
  } catch (error) {
    kill()
    throw error
  }
}
