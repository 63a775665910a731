import { describe, expect, it } from 'vitest'
import { createCallLogFormat } from './call-log'

describe('the call log', () => {
  it('shows control characters of names, openids and messages as escapes, never as terminal sequences', () => {
    const format = createCallLogFormat(false)
    const clear = '\u001b[2J\u001b[H'
    const line = format.call({
      functionName: 'tcb-SignUp-api',
      event: { pageModuleCustomApi: 1, name: `sendPrize${clear}` },
      caller: `oUser\u009b31m\u202e`,
      outcome: { ok: false, reason: 'error', message: `boom\r\nfake line` },
      milliseconds: 3,
    })
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/)
    expect(line).toBe(
      'tcb-SignUp-api/sendPrize\\u001b[2J\\u001b[H ← oUser\\u009b31m\\u202e  ' + 'FAIL error: boom\\u000d\\u000afake line  3 ms',
    )
  })
})
