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

describe('the call line of an answer', () => {
  const entry = (result: unknown) => ({
    functionName: 'tcb-SignUp',
    event: {},
    caller: 'server',
    outcome: { ok: true as const, result },
    milliseconds: 5,
  })

  it('shows a failing code with its msg, and a success by its code alone', () => {
    const format = createCallLogFormat(false)
    expect(format.call(entry({ code: -2, msg: '调用接口实现异常：boom' }))).toBe('tcb-SignUp ← server  -2 调用接口实现异常：boom  5 ms')
    expect(format.call(entry({ code: 0, msg: 'suc' }))).toBe('tcb-SignUp ← server  0  5 ms')
    expect(format.call(entry({ anything: 1 }))).toBe('tcb-SignUp ← server  ok  5 ms')
  })

  it('colors only when asked: no escapes without colors, even from a function that printed its own', () => {
    const plain = createCallLogFormat(false)
    expect(plain.output('echo', '\u001b[31mred\u001b[39m text')).toBe('  [echo] red text')
    expect(plain.refused('POST /admin', 'INVALID_ENV: no')).toBe('✕ POST /admin refused  INVALID_ENV: no')
    expect(plain.notice('echo: index.js changed')).toBe('! echo: index.js changed')
    const colored = createCallLogFormat(true)
    expect(colored.call(entry({ code: 0 }))).toContain('\u001b[')
  })
})
