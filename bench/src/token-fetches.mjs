import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createWeChatApiEmulator } from '@page-module/dev'
import { startThrowawayRedis } from './redis-server.mjs'

const APP = { appId: 'wx00000000bench0001', appSecret: 'bench-app-secret-0123456789ab' }
const WORKER = path.join(import.meta.dirname, 'token-worker.mjs')

/**
 * `processes` × `callsPerProcess` concurrent getAccessToken() against the WeChat API emulator, for each store:
 * Redis (when redis-server is installed), the file store, and one memory store per process (the contrast: what a
 * cache that is not shared costs). Counts the token requests the emulator saw.
 */
export async function measureTokenFetches({ processes, callsPerProcess }) {
  const redis = await startThrowawayRedis()
  const folder = mkdtempSync(path.join(tmpdir(), 'page-module-bench-tokens-'))
  try {
    const stores = [
      ...(redis === undefined ? [] : [{ store: 'redis', location: redis.url, prefix: 'bench' }]),
      { store: 'file', location: path.join(folder, 'tokens.json') },
      { store: 'memory' },
    ]
    const results = []
    for (const store of stores) results.push(await crowd(store, processes, callsPerProcess))
    return { redisInstalled: redis !== undefined, results }
  } finally {
    await redis?.stop()
    rmSync(folder, { recursive: true, force: true })
  }
}

async function crowd(store, processes, callsPerProcess) {
  const emulator = createWeChatApiEmulator({ apps: [APP] })
  const server = http.createServer(async (request, response) => {
    if (!(await emulator(request, response))) response.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const workers = []
  try {
    const config = { ...store, ...APP, apiBaseUrl: `http://127.0.0.1:${server.address().port}`, calls: callsPerProcess }
    for (let index = 0; index < processes; index++)
      workers.push(fork(WORKER, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
    const reports = workers.map((worker) => messages(worker))
    await Promise.all(reports.map((report) => report.next()))
    for (const worker of workers) worker.send('go')
    const answers = await Promise.all(reports.map((report) => report.next()))
    return {
      store: store.store,
      processes,
      calls: processes * callsPerProcess,
      tokenRequests: emulator.counters.tokenRequests + emulator.counters.stableTokenRequests,
      tokensIssued: emulator.counters.tokensIssued,
      distinctTokens: new Set(answers.flatMap((answer) => answer.tokens)).size,
      slowestProcessMs: Math.max(...answers.map((answer) => answer.milliseconds)),
    }
  } finally {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) process.kill(worker.pid, 'SIGKILL')
    await new Promise((resolve) => server.close(resolve))
  }
}

/** The messages of a worker in order; a worker that exits before its next message fails the section. */
function messages(worker) {
  const queue = []
  const waiting = []
  let exited
  worker.on('message', (message) => (waiting.length > 0 ? waiting.shift().resolve(message) : queue.push(message)))
  worker.once('exit', (code) => {
    exited = new Error(`a token worker exited (${code}) before reporting`)
    for (const waiter of waiting.splice(0)) waiter.reject(exited)
  })
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift())
        : exited
          ? Promise.reject(exited)
          : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
  }
}
