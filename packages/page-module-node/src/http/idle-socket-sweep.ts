import type http from 'node:http'
import type { Duplex } from 'node:stream'

const IDLE_UNTIL = Symbol('pageModuleIdleUntil')

type PooledSocket = Duplex & {
  [IDLE_UNTIL]?: number
  // Where Node's own keepSocketAlive reads the server's Keep-Alive hint; absent, the hint is not used.
  readonly _httpMessage?: { readonly res?: { readonly headers?: Readonly<Record<string, unknown>> } | null } | null
}

export interface IdleSocketSweepOptions {
  /** Milliseconds a socket may wait in the pool. */
  readonly idleMs: number
  /** Milliseconds between sweeps of the pool. */
  readonly sweepMs: number
}

/**
 * Makes `agent` close the sockets that have waited in its pool for `idleMs` (or a second less than the server's
 * `Keep-Alive: timeout=` hint, when shorter), so that a server's keep-alive timeout never closes one under a new
 * request. One unref'd sweep runs while any socket waits — not a socket timeout, which Node sets and clears
 * around every request and re-arms on every read and write. A socket is gone at most `sweepMs` after its limit.
 * Returns the agent.
 */
export function closeIdleSockets<Agent extends http.Agent>(agent: Agent, { idleMs, sweepMs }: IdleSocketSweepOptions): Agent {
  let sweeper: ReturnType<typeof setInterval> | undefined
  const stop = () => {
    clearInterval(sweeper)
    sweeper = undefined
  }
  const sweep = () => {
    const now = Date.now()
    let waiting = 0
    for (const sockets of Object.values(agent.freeSockets)) {
      for (const socket of (sockets ?? []) as PooledSocket[]) {
        // A destroyed socket leaves the pool on its 'close', after this loop.
        if (now >= (socket[IDLE_UNTIL] ?? 0)) socket.destroy()
        else waiting += 1
      }
    }
    if (waiting === 0) stop()
  }

  // keepSocketAlive and destroy are the Agent's documented points to override.
  const keepSocketAlive = agent.keepSocketAlive.bind(agent)
  agent.keepSocketAlive = (socket: PooledSocket): boolean => {
    // Node's returns false when a server's Keep-Alive hint is too short to reuse the socket (typed void).
    if ((keepSocketAlive(socket) as unknown) === false) return false
    socket[IDLE_UNTIL] = Date.now() + idleLimitOf(socket, idleMs)
    if (sweeper === undefined) {
      sweeper = setInterval(sweep, sweepMs)
      sweeper.unref()
    }
    return true
  }
  const destroy = agent.destroy.bind(agent)
  agent.destroy = () => {
    stop()
    destroy()
  }
  return agent
}

function idleLimitOf(socket: PooledSocket, idleMs: number): number {
  const hint = socket._httpMessage?.res?.headers?.['keep-alive']
  const seconds = typeof hint === 'string' ? /^timeout=(\d+)/.exec(hint)?.[1] : undefined
  return seconds === undefined ? idleMs : Math.min(idleMs, Number(seconds) * 1000 - 1000)
}
