import { fork } from 'node:child_process'

/**
 * Forks a server script that sends one message with its address when it listens, and exits when the IPC channel
 * closes. `stop()` closes the channel and waits for that exit (a kill by pid after 10 s, should it hang).
 */
export async function startForkedServer(file, args = []) {
  const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const address = await new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it listened`)))
  })
  return {
    ...address,
    async stop() {
      if (child.connected) child.disconnect()
      const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
