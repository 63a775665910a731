import { describe, expect, it, vi } from 'vitest'
import { PageModuleError } from '@page-module/core'
import { debugLoggerOf, formatAttempt } from './debug-log'

describe('debug logging', () => {
  it('writes one line to stderr per attempt when debug is on, and nothing otherwise', () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    debugLoggerOf({ debug: true })?.('line')
    expect(stderr).toHaveBeenCalledWith('line')
    expect(debugLoggerOf({})).toBeUndefined()
  })

  it('removes secrets from the line, even when an error message carries one', () => {
    const error = new PageModuleError({ code: 'CLOUDBASE_ERROR', message: 'server said sts-token-value-123 is bad', requestSent: true })
    const line = formatAttempt(
      {
        functionName: 'tcb-SignUp',
        attempt: 2,
        url: 'http://127.0.0.1:1/admin?env=e&seqId=1',
        milliseconds: 3.4,
        outcome: { status: 'error', error },
      },
      ['sts-token-value-123'],
    )
    expect(line).toBe(
      '[page-module:node] tcb-SignUp attempt 2 POST http://127.0.0.1:1/admin?env=e&seqId=1 → CLOUDBASE_ERROR requestSent=true: ' +
        'server said [redacted] is bad in 3 ms',
    )
  })

  it('removes the user and password of a serviceUrl', () => {
    const line = formatAttempt(
      {
        functionName: 'tcb-SignUp',
        attempt: 1,
        url: 'https://proxy-user:proxy-pass-42@gateway.example/admin?env=e',
        milliseconds: 1,
        outcome: {
          status: 'error',
          error: new PageModuleError({ code: 'NETWORK', message: 'reset at http://proxy-user:proxy-pass-42@gateway.example' }),
        },
      },
      [],
    )
    expect(line).not.toContain('proxy-pass-42')
    expect(line).not.toContain('proxy-user')
    expect(line).toContain('POST https://[redacted]@gateway.example/admin?env=e')
  })
})
