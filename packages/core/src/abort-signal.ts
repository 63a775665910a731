import { PageModuleError } from './page-module-error'

/** The part of `AbortSignal` PageModule uses. A real `AbortSignal` fits; the mini-program has none, so core makes its own. */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener(type: 'abort', listener: () => void): void
}

export interface Cancellation {
  readonly signal: AbortSignalLike
  cancel(reason: unknown): void
}

/** A minimal AbortController that runs where `AbortController` does not exist. */
export function createCancellation(): Cancellation {
  const signal = new CancellationSignal()
  return { signal, cancel: (reason) => signal.abort(reason) }
}

// A class, not an object of closures and getters: one is made for every call, so its shape is shared.
class CancellationSignal implements AbortSignalLike {
  private abortedState = false
  private abortReason: unknown = undefined
  private listeners: Array<() => void> = []

  get aborted(): boolean {
    return this.abortedState
  }

  get reason(): unknown {
    return this.abortReason
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.abortedState) listener()
    else this.listeners.push(listener)
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    for (let index = this.listeners.length - 1; index >= 0; index--) {
      if (this.listeners[index] === listener) this.listeners.splice(index, 1)
    }
  }

  /** For `createCancellation` only: the signal's users see `AbortSignalLike`. */
  abort(reason: unknown): void {
    if (this.abortedState) return
    this.abortedState = true
    this.abortReason = reason
    const toCall = this.listeners
    this.listeners = []
    for (const listener of toCall) listener()
  }
}

/** The error a call rejects with when its signal aborts: the reason itself when it is a PageModuleError. */
export function abortError(signal: AbortSignalLike): PageModuleError {
  if (PageModuleError.isInstance(signal.reason)) return signal.reason
  return new PageModuleError({ code: 'ABORTED', message: 'the call was aborted by its signal', cause: signal.reason })
}
