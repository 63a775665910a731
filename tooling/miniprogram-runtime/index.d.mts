/** What a page or component file registered with `Component({...})` or `Page({...})`. */
export type Definition = Record<string, unknown> & {
  data?: Record<string, unknown>
  methods?: Record<string, (...args: unknown[]) => unknown>
  lifetimes?: { attached?: (this: unknown) => void }
}

export interface MiniprogramRuntime {
  /** Runs a file (and what it requires) the way the mini-program does; returns its `module.exports`. */
  require(file: string): unknown
  /** Every `Component()`/`Page()` definition registered so far, by file. */
  readonly definitions: Map<string, Definition>
  /** Runs an expression in the runtime (values made there are plain objects of its own realm, as page code's are). */
  evaluate(expression: string, scope?: Record<string, unknown>): unknown
}

export interface Instance {
  readonly data: Record<string, unknown>
  setData(patch: Record<string, unknown>): void
  [method: string]: unknown
}

export function createMiniprogramRuntime(root: string, wx: unknown): MiniprogramRuntime
export function attachInstance(definition: Definition | undefined): Instance
