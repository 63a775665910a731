import { PageModule } from '@page-module/core'
import { createFakeTransport } from '@page-module/core/testing'
import { describe, expectTypeOf, it } from 'vitest'
import { defineModule, type MethodContext, type MethodsOf } from '..'

const signUp = defineModule({
  id: 'tcb:SignUp',
  methods: {
    async doSignIn(data: { day: string }, context) {
      expectTypeOf(context).toEqualTypeOf<MethodContext>()
      return { streak: data.day.length, signedAt: 1 }
    },
    getSignInStatus: (_data?: { day?: string }) => ({ signedToday: true }),
    ping: () => 'pong' as const,
  },
})

type SignUpMethods = MethodsOf<typeof signUp>

describe('MethodsOf<typeof module> types PageModule clients', () => {
  const client = new PageModule<SignUpMethods>('tcb:SignUp', { transport: createFakeTransport() })

  it('maps each method to { input, output }', () => {
    expectTypeOf<SignUpMethods['doSignIn']>().toEqualTypeOf<{ input: { day: string }; output: { streak: number; signedAt: number } }>()
    expectTypeOf<SignUpMethods['ping']['input']>().toEqualTypeOf<undefined>()
  })

  it('types callMethod inputs and outputs', () => {
    expectTypeOf(client.callMethod('doSignIn', { day: '2026-11-21' })).resolves.toEqualTypeOf<{ streak: number; signedAt: number }>()
    expectTypeOf(client.callMethod('getSignInStatus')).resolves.toEqualTypeOf<{ signedToday: boolean }>()
    expectTypeOf(client.callMethod('ping')).resolves.toEqualTypeOf<'pong'>()
  })

  it('refuses wrong methods and inputs', () => {
    // @ts-expect-error no such method
    void client.callMethod('doSignUp', { day: 'x' })
    // @ts-expect-error day must be a string
    void client.callMethod('doSignIn', { day: 1 })
    // @ts-expect-error doSignIn needs its data
    void client.callMethod('doSignIn')
  })
})
