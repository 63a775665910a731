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
})

describe('PageModuleError.from', () => {
  it('adds context without losing anything', () => {
    const cause = new Error('socket hang up')
    const error = new PageModuleError({
      code: 'NETWORK',
      message: 'reset — retry',
      moduleCode: 3,
      retryable: true,
      requestSent: false,
      cloudRequestId: 'cloud-1',
      details: { status: 502 },
      cause,
    })
    const located = PageModuleError.from(error, { module: 'tcb:SignUp', method: 'doSignIn', requestId: 'r-2' })
    expect(located).not.toBe(error)
    expect(located.message).toBe('[tcb:SignUp.doSignIn] r-2: reset — retry')
    expect(located).toMatchObject({
      code: 'NETWORK',
      moduleCode: 3,
      retryable: true,
      requestSent: false,
      cloudRequestId: 'cloud-1',
      details: { status: 502 },
      requestId: 'r-2',
    })
    expect(located.cause).toBe(cause)
  })

  it('rebuilds the prefix when the context changes, and takes a new message without one', () => {
    const located = new PageModuleError({ code: 'TIMEOUT', module: 'tcb:A', method: 'm', requestId: 'r-1', message: 'slow — wait' })
    expect(PageModuleError.from(located, { requestId: 'r-9' }).message).toBe('[tcb:A.m] r-9: slow — wait')
    expect(PageModuleError.from(located, { message: 'slower — wait more' }).message).toBe('[tcb:A.m] r-1: slower — wait more')
  })

  it('lets an override clear a field: a key present wins even when undefined', () => {
    const error = new PageModuleError({ code: 'NETWORK', message: 'x', requestSent: true, details: { status: 1 } })
    const amended = PageModuleError.from(error, { requestSent: undefined, code: 'FUNCTION_FAILED', retryable: true })
    expect(amended).toMatchObject({ code: 'FUNCTION_FAILED', requestSent: undefined, retryable: true, details: { status: 1 } })
  })

  it('returns the same error when nothing changes', () => {
    const error = new PageModuleError({ code: 'NETWORK', message: 'nothing secret here', details: { body: 'plain' } })
    expect(PageModuleError.from(error)).toBe(error)
    expect(PageModuleError.from(error, { secrets: ['SECRET-1'] })).toBe(error)
    expect(PageModuleError.from(error, { code: 'NETWORK' })).toBe(error)
  })

  it('removes secrets from the message and every string detail', () => {
    const error = new PageModuleError({
      code: 'HTTP_ERROR',
      module: 'tcb:A',
      message: 'proxy echoed KEY-12345 — check it',
      details: { status: 500, body: 'auth=KEY-12345&token=TOKEN-678', cloudbaseCode: null },
    })
    const redacted = PageModuleError.from(error, { secrets: ['KEY-12345', 'TOKEN-678', undefined] })
    expect(redacted.message).toBe('[tcb:A]: proxy echoed [redacted] — check it')
    expect(redacted.details).toEqual({ status: 500, body: 'auth=[redacted]&token=[redacted]', cloudbaseCode: null })
    expect(JSON.stringify(redacted)).not.toMatch(/KEY-12345|TOKEN-678/)
  })

  it('wraps anything else as TRANSPORT_FAILED with it as the cause', () => {
    const thrown = new TypeError('fetch failed')
    const wrapped = PageModuleError.from(thrown, { module: 'tcb:A', requestSent: false })
    expect(wrapped).toMatchObject({ code: 'TRANSPORT_FAILED', requestSent: false, cause: thrown, message: '[tcb:A]: fetch failed' })
    expect(PageModuleError.from('just text', { code: 'NETWORK', message: 'failed — retry' })).toMatchObject({
      code: 'NETWORK',
      message: 'failed — retry',
      cause: 'just text',
    })
  })
})
