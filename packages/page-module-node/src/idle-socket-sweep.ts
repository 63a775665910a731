import type http from 'node:http'
import type { Duplex } from 'node:stream'

const IDLE_SINCE = Symbol('pageModuleIdleSince')

type PooledSocket = Duplex & { [IDLE_SINCE]?: number }

export interface IdleSocketSweepOptions {
  /** Milliseconds a socket may wait in the pool. */
  readonly idleMs: number
  /** Milliseconds between sweeps of the pool. */
  readonly sweepMs: number
}

/**
 * Makes `agent` close the sockets that have waited in its pool for `idleMs`, so that a server's keep-alive timeout
 * never closes one under a new request. One unref'd sweep runs while any socket waits — not a socket timeout,
 * which Node sets and clears around every request and re-arms on every read and write. A socket is gone within
 * `idleMs + sweepMs` of its last answer. Returns the agent.
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
        if (now - (socket[IDLE_SINCE] ?? now) >= idleMs) socket.destroy()
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
    socket[IDLE_SINCE] = Date.now()
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
