import { isPageModuleError } from '@page-module/core'
import { afterEach, describe, expect, it } from 'vitest'
import failures from './__fixtures__/wx-cloud-failures.json'
import { PageModule } from './page-module'
import { createFakeWxCloud } from './testing'

interface SignUp {
  doSignIn: { input: Record<string, never>; output: { streak: number; signedToday: boolean; prize?: string } }
}

const globals = globalThis as { wx?: unknown }

describe('PageModule (mini-program)', () => {
  afterEach(() => {
    delete globals.wx
  })

  it('makes its own wx.cloud transport from the global wx, read at call time', async () => {
    const signUp = new PageModule<SignUp>('tcb:SignUp')
    const cloud = createFakeWxCloud<SignUp>({ doSignIn: () => ({ streak: 3, signedToday: true, prize: '10 points' }) })
    globals.wx = { cloud }
    await expect(signUp.callMethod('doSignIn', {})).resolves.toEqual({ streak: 3, signedToday: true, prize: '10 points' })
    expect(cloud.calls[0]?.data).toMatchObject({ module: 'tcb:SignUp', method: 'doSignIn', client: { name: '@page-module/mp' } })
    expect(signUp.transport.name).toBe('wx.cloud')
  })

  it('refuses server keys (secretId, secretKey, appSecret…) before anything is sent, without echoing them', async () => {
    const cloud = createFakeWxCloud<SignUp>({ doSignIn: () => ({ streak: 1, signedToday: true }) })
    for (const key of ['secretId', 'secretKey', 'sessionToken', 'accessKey', 'appSecret']) {
      const options = { wx: { cloud }, [key]: 'leaked-value-1234' } as never
      let thrown: unknown
      try {
        new PageModule<SignUp>('tcb:SignUp', options)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toMatchObject({
        code: 'INVALID_OPTIONS',
        requestSent: false,
        message: expect.stringContaining(`${key} must never be in mini-program code`),
      })
      expect(JSON.stringify(thrown) + String((thrown as Error).message)).not.toContain('leaked-value-1234')
    }
    expect(cloud.calls).toHaveLength(0)
  })

  it('passes env and functionName through', async () => {
    const cloud = createFakeWxCloud<SignUp>({ doSignIn: () => ({ streak: 1, signedToday: true }) })
    await new PageModule<SignUp>('tcb:SignUp', { wx: { cloud }, env: 'test-9z', functionName: 'sign-up' }).callMethod('doSignIn', {})
    expect(cloud.calls[0]).toMatchObject({ name: 'sign-up', config: { env: 'test-9z' } })
  })

  it('rejects with the mapped error, prefixed with the call and carrying the requestID', async () => {
    const cloud = createFakeWxCloud<SignUp>().rejectNext(failures.functionThrew.error)
    const error: unknown = await new PageModule<SignUp>('tcb:SignUp', { wx: { cloud } })
      .callMethod('doSignIn', {})
      .catch((caught: unknown) => caught)
    expect(isPageModuleError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'FUNCTION_FAILED',
      module: 'tcb:SignUp',
      method: 'doSignIn',
      cloudRequestId: '9f1c2a3e-8b7d-11ef-a4b2-5254002c1d3f',
    })
    expect((error as Error).message).toMatch(/^\[tcb:SignUp\.doSignIn\] \S+: the cloud function 'tcb-SignUp' threw/)
    expect(cloud.calls).toHaveLength(1)
  })

  it('retries a generic -1 only when the call has an idempotency key', async () => {
    const cloud = createFakeWxCloud<SignUp>({ doSignIn: () => ({ streak: 1, signedToday: true }) })
    const signUp = new PageModule<SignUp>('tcb:SignUp', { wx: { cloud }, retryDelay: () => 0 })
    cloud.rejectNext(failures.generic.error)
    await expect(signUp.callMethod('doSignIn', {})).rejects.toMatchObject({ code: 'WX_CLOUD_ERROR' })
    cloud.rejectNext(failures.generic.error)
    await expect(signUp.callMethod('doSignIn', {}, { idempotencyKey: 'sign-in-u1-2026-11-21' })).resolves.toEqual({
      streak: 1,
      signedToday: true,
    })
    expect(cloud.calls).toHaveLength(3)
  })

  it('uses a transport it is given instead of wx.cloud', async () => {
    const cloud = createFakeWxCloud<SignUp>({ doSignIn: () => ({ streak: 5, signedToday: true }) })
    const other = createFakeWxCloud<SignUp>()
    const { createWxCloudTransport } = await import('./wx-cloud-transport')
    await new PageModule<SignUp>('tcb:SignUp', { wx: { cloud: other }, transport: createWxCloudTransport({ wx: { cloud } }) }).callMethod(
      'doSignIn',
      {},
    )
    expect([cloud.calls.length, other.calls.length]).toEqual([1, 0])
  })
})
