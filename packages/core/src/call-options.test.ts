import { describe, expect, it } from 'vitest'
import { PageModule } from './page-module'
import { createFakeTransport } from './testing'

describe('option shapes core keeps for later', () => {
  it.each([
    ['retryDelay', { retryDelay: 5 }],
    ['now', { now: 'yesterday' }],
    ['random', { random: 0.5 }],
    ['middleware', { middleware: 5 }],
    ['client', { client: 'me' }],
  ])('refuses a wrong %s at construction with INVALID_OPTIONS, not a TypeError mid-call', (_name, options) => {
    expect(() => new PageModule('tcb:SignUp', { transport: createFakeTransport(), ...(options as object) })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    )
  })

  it.each([
    ['null options', null],
    ['a signal that is not one', { signal: {} }],
  ])('rejects callMethod with %s as INVALID_OPTIONS and sends nothing', async (_name, options) => {
    const transport = createFakeTransport({ doSignIn: () => 1 })
    await expect(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn', {}, options as never)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    })
    expect(transport.calls).toHaveLength(0)
  })
})
