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
  let listeners: Array<() => void> = []
  const state: { aborted: boolean; reason: unknown } = { aborted: false, reason: undefined }
  const signal: AbortSignalLike = {
    get aborted() {
      return state.aborted
    },
    get reason() {
      return state.reason
    },
    addEventListener(_type, listener) {
      if (state.aborted) listener()
      else listeners.push(listener)
    },
    removeEventListener(_type, listener) {
      listeners = listeners.filter((candidate) => candidate !== listener)
    },
  }
  return {
    signal,
    cancel(reason) {
      if (state.aborted) return
      state.aborted = true
      state.reason = reason
      const toCall = listeners
      listeners = []
      for (const listener of toCall) listener()
    },
  }
}

/** The error a call rejects with when its signal aborts: the reason itself when it is a PageModuleError. */
export function abortError(signal: AbortSignalLike): PageModuleError {
  if (PageModuleError.isInstance(signal.reason)) return signal.reason
  return new PageModuleError({ code: 'ABORTED', message: 'the call was aborted by its signal', cause: signal.reason })
}
