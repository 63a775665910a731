import { describe, expect, it } from 'vitest'
import { isPageModuleError, PageModuleError } from './page-module-error'

describe('PageModuleError', () => {
  it('prefixes the message with where and which call', () => {
    const error = new PageModuleError({
      code: 'TIMEOUT',
      module: 'tcb:SignUp',
      method: 'doSignIn',
      requestId: 'r-1',
      message: 'no answer — wait',
    })
    expect(error.message).toBe('[tcb:SignUp.doSignIn] r-1: no answer — wait')
    expect(error.name).toBe('PageModuleError')
    expect(error).toBeInstanceOf(Error)
  })

  it('is recognised across package copies by its Symbol.for marker', () => {
    const fromAnotherCopy = Object.assign(new Error('x'), { [Symbol.for('page-module.error')]: true })
    expect(isPageModuleError(fromAnotherCopy)).toBe(true)
    expect(fromAnotherCopy instanceof PageModuleError).toBe(true)
    expect(isPageModuleError(new Error('x'))).toBe(false)
    expect(isPageModuleError({ code: 'TIMEOUT' })).toBe(false)
  })

  it('keeps the cause on the error, and only its name in toJSON', () => {
    const cause = new Error('GET /token?secret=TOPSECRET failed')
    const error = new PageModuleError({ code: 'NETWORK', message: 'failed', cause, retryable: true, requestSent: false })
    expect(error.cause).toBe(cause)
    const json = JSON.stringify(error)
    expect(json).not.toContain('TOPSECRET')
    expect(JSON.parse(json)).toEqual({
      name: 'PageModuleError',
      code: 'NETWORK',
      message: 'failed',
      retryable: true,
      requestSent: false,
      cause: { name: 'Error' },
    })
  })

  it('adds context without losing anything', () => {
    const error = new PageModuleError({
      code: 'NETWORK',
      message: 'reset — retry',
      moduleCode: 3,
      retryable: true,
      details: { status: 502 },
    })
    const located = error.withContext({ module: 'tcb:SignUp', method: 'doSignIn', requestId: 'r-2' })
    expect(located.message).toBe('[tcb:SignUp.doSignIn] r-2: reset — retry')
    expect(located).toMatchObject({ code: 'NETWORK', moduleCode: 3, retryable: true, details: { status: 502 } })
  })
})
