import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

/**
 * A module loader that behaves like the mini-program's: files run in a fresh context whose only host objects are
 * `wx`, `console` and timers; `./relative` files resolve as files; a bare name resolves only to
 * `miniprogram_npm/<name>/index.js` in the requiring file's folder or a parent up to `root`; anything else — Node
 * built-ins included — fails with the runtime's own "module '…' is not defined".
 * @type {import('./index.d.mts').createMiniprogramRuntime}
 */
export function createMiniprogramRuntime(root, wx) {
  const definitions = new Map()
  const cache = new Map()
  let registering = ''
  const register = (definition) => {
    definitions.set(registering, definition)
  }
  const context = vm.createContext({ wx, console, setTimeout, clearTimeout, Component: register, Page: register, getApp: () => ({}) })

  function resolve(specifier, fromDir) {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
      const base = specifier.startsWith('/') ? path.join(root, specifier) : path.resolve(fromDir, specifier)
      for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')])
        if (existsSync(candidate) && candidate.endsWith('.js')) return candidate
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

  function load(file) {
    const cached = cache.get(file)
    if (cached) return cached.exports
    const module = { exports: {} }
    cache.set(file, module)
    const wrapper = vm.runInContext(`(function (require, module, exports) {${readFileSync(file, 'utf8')}\n})`, context, { filename: file })
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
      const run = vm.runInContext(`(function (${names.join(', ')}) { return (${expression}) })`, context)
      return run(...names.map((name) => scope[name]))
    },
  }
}

/**
 * An instance of a registered `Component()`/`Page()` as far as these files use one — `data`, `setData` and the
 * methods — with its `attached` lifetime run, as the framework does when the component enters a page.
 * @type {import('./index.d.mts').attachInstance}
 */
export function attachInstance(definition) {
  if (!definition) throw new Error('the file registered no Component')
  const instance = {
    data: { ...definition.data },
    setData(patch) {
      Object.assign(instance.data, patch)
    },
  }
  Object.assign(instance, definition.methods)
  definition.lifetimes?.attached?.call(instance)
  return instance
}
