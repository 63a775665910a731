import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

/** What a page or component file registered with `Component({...})` or `Page({...})`. */
export type Definition = Record<string, unknown> & { methods?: Record<string, (...args: unknown[]) => unknown> }

export interface MiniprogramRuntime {
  /** Runs a file (and what it requires) the way the mini-program does; returns its `module.exports`. */
  require(file: string): unknown
  /** Every `Component()`/`Page()` definition registered so far, by file. */
  readonly definitions: Map<string, Definition>
  /** Runs an expression in the runtime (values made there are plain objects of its own realm, as page code's are). */
  evaluate(expression: string, scope?: Record<string, unknown>): unknown
}

/**
 * A module loader that behaves like the mini-program's: files run in a fresh context whose only host objects are
 * `wx`, `console` and timers; `./relative` files resolve as files; a bare name resolves only to
 * `miniprogram_npm/<name>/index.js` in the requiring file's folder or a parent up to `root`; anything else — Node
 * built-ins included — fails with the runtime's own "module '…' is not defined".
 */
export function createMiniprogramRuntime(root: string, wx: unknown): MiniprogramRuntime {
  const definitions = new Map<string, Definition>()
  const cache = new Map<string, { exports: unknown }>()
  let registering = ''
  const register = (definition: Definition) => {
    definitions.set(registering, definition)
  }
  const context = vm.createContext({ wx, console, setTimeout, clearTimeout, Component: register, Page: register, getApp: () => ({}) })

  function resolve(specifier: string, fromDir: string): string {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
      const base = specifier.startsWith('/') ? path.join(root, specifier) : path.resolve(fromDir, specifier)
      for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) if (existsSync(candidate) && candidate.endsWith('.js')) return candidate
    } else {
      for (let dir = fromDir; dir.startsWith(root); dir = path.dirname(dir)) {
        const candidate = path.join(dir, 'miniprogram_npm', specifier, 'index.js')
        if (existsSync(candidate)) return candidate
        if (dir === root) break
      }
    }
    const relative = path.relative(root, path.resolve(fromDir, specifier)).split(path.sep).join('/')
    throw new Error(`module '${relative}.js' is not defined, require args is '${specifier}'`)
  }

  function load(file: string): unknown {
    const cached = cache.get(file)
    if (cached) return cached.exports
    const module = { exports: {} as unknown }
    cache.set(file, module)
    const wrapper = vm.runInContext(`(function (require, module, exports) {${readFileSync(file, 'utf8')}\n})`, context, { filename: file }) as (
      require: (specifier: string) => unknown, module: { exports: unknown }, exports: unknown) => void
    const previous = registering
    registering = file
    try {
      wrapper((specifier) => load(resolve(specifier, path.dirname(file))), module, module.exports)
    } finally {
      registering = previous
    }
    return module.exports
  }

  return {
    require: (file) => load(path.resolve(file)),
    definitions,
    evaluate(expression, scope = {}) {
      const names = Object.keys(scope)
      const run = vm.runInContext(`(function (${names.join(', ')}) { return (${expression}) })`, context) as (...values: unknown[]) => unknown
      return run(...names.map((name) => scope[name]))
    },
  }
}
