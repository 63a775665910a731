import { describe, expect, it } from 'vitest'
import { assertFunctionName, functionNameOf, parseModuleId } from './module-id'

describe('parseModuleId', () => {
  it('splits provider and name', () => {
    expect(parseModuleId('tcb:SignUp')).toEqual({ id: 'tcb:SignUp', provider: 'tcb', name: 'SignUp' })
  })

  it.each([
    ['no separator', 'SignUp'],
    ['empty provider', ':SignUp'],
    ['empty name', 'tcb:'],
    ['upper-case provider', 'TCB:SignUp'],
    ['name starting with a digit', 'tcb:1SignUp'],
    ['a second colon', 'tcb:Sign:Up'],
    ['a space', 'tcb: SignUp'],
    ['path characters', 'tcb:../SignUp'],
    ['a provider over 16 characters', `${'a'.repeat(17)}:SignUp`],
    ['a name over 43 characters', `tcb:${'A'.repeat(44)}`],
  ])('refuses %s', (_case, id) => {
    expect(() => parseModuleId(id)).toThrowError(expect.objectContaining({ code: 'INVALID_MODULE_ID' }))
  })

  it('refuses a non-string with the rule in the message', () => {
    expect(() => parseModuleId(42)).toThrowError(/must be a string, got number — pass an id of the form `<provider>:<Name>`/)
  })
})

describe('functionNameOf', () => {
  it('joins provider and name with a dash', () => {
    expect(functionNameOf(parseModuleId('tcb:SignUp'))).toBe('tcb-SignUp')
  })

  it('stays a valid CloudBase function name at the longest id', () => {
    const longest = parseModuleId(`${'p'.repeat(16)}:${'N'.repeat(43)}`)
    expect(assertFunctionName(functionNameOf(longest))).toHaveLength(60)
  })

  it.each(['', '1abc', 'a'.repeat(61), 'has space', 'slash/name'])('refuses the override %j', (name) => {
    expect(() => assertFunctionName(name)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})
