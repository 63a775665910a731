import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, packageDir } from './build-npm-project'

// Runs in a child Node inside the package, so `page-module` resolves through its own `exports` to dist.
function runNode(source: string, type: 'commonjs' | 'module'): unknown {
  const output = execFileSync(process.execPath, ['--input-type', type, '-e', source], { cwd: packageDir, encoding: 'utf8' })
  return JSON.parse(output) as unknown
}

const fakeModule = 'createFakeTransport({ doSignIn: () => ({ streak: 3, signedToday: true }) })'

beforeAll(assertBuilt)

describe('page-module under Node', () => {
  it('require() returns the PageModule class itself, with the named exports on it', () => {
    const facts = runNode(
      `
      const PageModule = require('page-module')
      const { PageModule: Named, isPageModuleError } = require('page-module')
      const { createFakeTransport } = require('@page-module/core/testing')
      const adapter = require('@page-module/node')
      const signUp = new PageModule('tcb:SignUp', { transport: ${fakeModule} })
      signUp.callMethod('doSignIn', {}).then((answer) => process.stdout.write(JSON.stringify({
        isClass: typeof PageModule === 'function', named: Named === PageModule, guard: typeof isPageModuleError,
        adapterInstance: signUp instanceof adapter.PageModule, adapterUntouched: adapter.PageModule.PageModule === undefined,
        name: PageModule.name, answer,
      })))`,
      'commonjs',
    )
    expect(facts).toEqual({
      isClass: true,
      named: true,
      guard: 'function',
      adapterInstance: true,
      adapterUntouched: true,
      name: 'PageModule',
      answer: { streak: 3, signedToday: true },
    })
  })

  it('import gives named exports and a default export, the same class', () => {
    const facts = runNode(
      `
      import PageModule, { PageModule as Named, isPageModuleError } from 'page-module'
      import { createFakeTransport } from '@page-module/core/testing'
      const answer = await new PageModule('tcb:SignUp', { transport: ${fakeModule} }).callMethod('doSignIn', {})
      process.stdout.write(JSON.stringify({ same: PageModule === Named, guard: typeof isPageModuleError, answer }))`,
      'module',
    )
    expect(facts).toEqual({ same: true, guard: 'function', answer: { streak: 3, signedToday: true } })
  })

  it('has typings for both: export = with the named exports merged in (.d.cts), and ESM (.d.mts)', () => {
    const typescript = path.join(packageDir, '../../node_modules/typescript/bin/tsc')
    expect(() =>
      execFileSync(process.execPath, [typescript, '-p', path.join(packageDir, 'test/typings/tsconfig.json')], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ).not.toThrow()
  })
})

describe('page-module in any other runtime (the `default` condition)', () => {
  const expectations = { code: 'UNSUPPORTED_RUNTIME', marked: true, mentionsBoth: true }
  const inspect =
    `(() => { try { new PageModule('tcb:SignUp'); return { code: 'none' } } catch (error) {
    return { code: error.code, marked: isPageModuleError(error), ` +
    `mentionsBoth: /WeChat mini-program/.test(error.message) && /Node\\.js/.test(error.message) } } })()`

  it('require(): new PageModule() throws UNSUPPORTED_RUNTIME naming the mini-program and Node.js', () => {
    const facts = runNode(
      `const PageModule = require('./dist/unsupported/index.cjs'); const { isPageModuleError } = PageModule
      process.stdout.write(JSON.stringify(${inspect}))`,
      'commonjs',
    )
    expect(facts).toEqual(expectations)
  })

  it('import: the same', () => {
    const facts = runNode(
      `import PageModule, { isPageModuleError } from './dist/unsupported/index.mjs'
      process.stdout.write(JSON.stringify(${inspect}))`,
      'module',
    )
    expect(facts).toEqual(expectations)
  })
})
