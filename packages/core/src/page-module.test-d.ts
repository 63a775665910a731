import { describe, expectTypeOf, it } from 'vitest'
import { PageModule } from './page-module'
import { createFakeTransport } from './testing'

interface SignUpMethods {
  doSignIn: { input: { day: string }; output: { streak: number } }
  getSignInStatus: { output: { signedToday: boolean } }
  reset: { input?: { hard: boolean } }
}

const transport = createFakeTransport()

describe('typed method maps', () => {
  const signUp = new PageModule<SignUpMethods>('tcb:SignUp', { transport })

  it('types input and output by method name', () => {
    expectTypeOf(signUp.callMethod('doSignIn', { day: '2026-11-21' })).resolves.toEqualTypeOf<{ streak: number }>()
    expectTypeOf(signUp.callMethod('getSignInStatus')).resolves.toEqualTypeOf<{ signedToday: boolean }>()
    expectTypeOf(signUp.callMethod('reset')).resolves.toBeUnknown()
  })

  it('refuses a wrong method name, a wrong or missing input', () => {
    // @ts-expect-error not a method of SignUpMethods
    void signUp.callMethod('doSignUp', { day: 'x' })
    // @ts-expect-error day must be a string
    void signUp.callMethod('doSignIn', { day: 1 })
    // @ts-expect-error doSignIn needs its input
    void signUp.callMethod('doSignIn')
    // @ts-expect-error an unknown option
    void signUp.callMethod('getSignInStatus', undefined, { retry: 1 })
  })

  it('stays open when untyped', () => {
    const untyped = new PageModule('tcb:SignUp', { transport })
    expectTypeOf(untyped.callMethod('anything', { a: 1 })).resolves.toBeUnknown()
    expectTypeOf(untyped.callMethod).parameter(0).toEqualTypeOf<string>()
  })

  it('types the fake transport handlers from the same map', () => {
    createFakeTransport<SignUpMethods>({ doSignIn: ({ day }) => ({ streak: day.length }) })
    // @ts-expect-error streak must be a number
    createFakeTransport<SignUpMethods>({ doSignIn: () => ({ streak: 'many' }) })
  })
})
