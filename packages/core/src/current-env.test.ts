import { describe, expect, it } from 'vitest'
import { CURRENT_ENV, envOfOption } from './current-env'
import { PageModuleError } from './page-module-error'

describe('envOfOption', () => {
  it('is the registered symbol the official SDKs export (checked against them in the tests of @page-module/node)', () => {
    expect(CURRENT_ENV).toBe(Symbol.for('SYMBOL_CURRENT_ENV'))
  })

  it('reads the function’s own env: TCB_ENV, then SCF_NAMESPACE', () => {
    expect(envOfOption(CURRENT_ENV, { TCB_ENV: 'env-a', SCF_NAMESPACE: 'env-b' })).toBe('env-a')
    expect(envOfOption(CURRENT_ENV, { SCF_NAMESPACE: 'env-b' })).toBe('env-b')
  })

  it('passes strings and undefined through unchanged', () => {
    expect(envOfOption('my-env', {})).toBe('my-env')
    expect(envOfOption(undefined, { TCB_ENV: 'env-a' })).toBeUndefined()
  })

  it('refuses the current env outside a function, and any other symbol, before anything is sent', () => {
    const outside = captured(() => envOfOption(CURRENT_ENV, { TCB_ENV: '' }))
    expect(outside).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(outside.message).toMatch(/no current environment here.*pass the env id/)
    const other = captured(() => envOfOption(Symbol('SYMBOL_CURRENT_ENV'), { TCB_ENV: 'env-a' }))
    expect(other).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(other.message).toMatch(/cloud\.DYNAMIC_CURRENT_ENV/)
  })
})

function captured(run: () => unknown): PageModuleError {
  try {
    run()
  } catch (error) {
    if (error instanceof PageModuleError) return error
    throw error
  }
  throw new Error('expected a PageModuleError')
}
