import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact-secrets'

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redactSecrets('a SECRET b SECRET c TOKEN1', ['SECRET', 'TOKEN1'])).toBe('a [redacted] b [redacted] c [redacted]')
  })

  it('skips secrets too short to be told from ordinary words, and undefined ones', () => {
    expect(redactSecrets('the abc of it', ['abc', '', undefined])).toBe('the abc of it')
  })

  it('redacts before it cuts, so no part of a secret straddling the cut survives', () => {
    const secret = 'SECRETKEY-0123456789'
    // The secret starts 5 characters before the cut: cutting first would keep 'SECRE'.
    const text = `${'x'.repeat(195)}${secret}${'y'.repeat(50)}`
    const cut = redactSecrets(text, [secret], 200)
    expect(cut).toBe(`${'x'.repeat(195)}[reda…`)
    expect(cut).not.toContain('SECRE')
  })

  it('leaves text within the limit whole', () => {
    expect(redactSecrets('short', [], 200)).toBe('short')
  })
})
