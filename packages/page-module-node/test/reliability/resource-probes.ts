import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import v8 from 'node:v8'
import vm from 'node:vm'

/**
 * `global.gc`, exposed at run time when the process was not started with `--expose-gc` (vitest's workers are
 * not, and the root config is shared by every package); undefined where the engine refuses.
 */
export function exposedGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: unknown }).gc
  if (typeof existing === 'function') return existing as () => void
  try {
    v8.setFlagsFromString('--expose-gc')
    const gc: unknown = vm.runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
}

/** Heap in use after two full collections (the second one catches what finalizers of the first released). */
export function settledHeapBytes(gc: () => void): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/** Every TCP client socket this process opens while watching (the agent inside the transport is out of reach). */
export function watchClientSockets(): { readonly sockets: Socket[]; open(): number; stop(): void } {
  const sockets: Socket[] = []
  const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket)
  subscribe('net.client.socket', onSocket)
  return {
    sockets,
    open: () => sockets.filter((socket) => !socket.destroyed).length,
    stop: () => unsubscribe('net.client.socket', onSocket),
  }
}

/** Resolves once `probe()` returns `expected`, or with the last value seen after `attempts` checks 10 ms apart. */
export async function eventually<T>(probe: () => T | Promise<T>, expected: T, attempts = 300): Promise<T> {
  let value = await probe()
  for (let attempt = 0; attempt < attempts && value !== expected; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    value = await probe()
  }
  return value
}
