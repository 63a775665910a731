import { describe, expect, it } from 'vitest'
import { toCommonJsExport } from './common-js-export'

class Base {
  constructor(readonly id: string) {}
}
const named = { PageModule: Base, isBase: (value: unknown) => value instanceof Base, VERSION: '1.0.0', default: Base }

describe('toCommonJsExport', () => {
  it('is a subclass named PageModule that is also its own .PageModule', () => {
    const exported = toCommonJsExport(Base, named)
    expect(exported.name).toBe('PageModule')
    expect(exported.PageModule).toBe(exported)
    const instance = new exported('tcb:SignUp')
    expect(instance).toBeInstanceOf(Base)
    expect(instance.id).toBe('tcb:SignUp')
  })

  it('carries every other named export, read-only, and leaves the base class untouched', () => {
    const exported = toCommonJsExport(Base, named)
    expect(Object.keys(exported).sort()).toEqual(['PageModule', 'VERSION', 'isBase'])
    expect(exported.isBase(new exported('x'))).toBe(true)
    expect(() => Object.assign(exported, { VERSION: '2' })).toThrow(TypeError)
    expect(Object.keys(Base)).toEqual([])
  })
})
