import { describe, expect, it } from 'vitest'
import { safeReturnTo } from './return-to'

describe('safeReturnTo', () => {
  it('keeps same-origin relative paths with their query and fragment', () => {
    expect(safeReturnTo('/account')).toBe('/account')
    expect(safeReturnTo('/orders/12?tab=paid#top')).toBe('/orders/12?tab=paid#top')
    expect(safeReturnTo('/search?q=%E4%B8%AD')).toBe('/search?q=%E4%B8%AD')
  })

  it('refuses every way out of the origin, also once decoded', () => {
    const refused = [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/%2F%2Fevil.example',
      '%2F%2Fevil.example',
      '/%5Cevil.example',
      '/%252F%252Fevil.example',
      'javascript:alert(1)',
      '/javascript:alert(1)',
      '/\tevil',
      '/%0d%0aSet-Cookie:x=1',
      '/%00',
      'account',
      '',
      '/%E0%A4%A',
    ]
    for (const value of refused) expect([value, safeReturnTo(value)]).toEqual([value, undefined])
    expect(safeReturnTo(42)).toBeUndefined()
  })
})
