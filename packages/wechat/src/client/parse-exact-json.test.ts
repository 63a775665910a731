import { describe, expect, it } from 'vitest'
import { parseExactJson } from './parse-exact-json'

describe('parseExactJson', () => {
  it('keeps integers beyond 2^53 as exact decimal strings and everything else as JSON.parse does', () => {
    const text = '{"msgid":1730583985829494784,"small":123,"negative":-9007199254740993,"ratio":0.5,"big":1e400,"list":[9007199254740991]}'
    expect(parseExactJson(text)).toEqual({
      msgid: '1730583985829494784',
      small: 123,
      negative: '-9007199254740993',
      ratio: 0.5,
      big: Infinity,
      list: [9007199254740991],
    })
  })
})
