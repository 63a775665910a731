import { createCancellation, createEnvelope, isPageModuleError, type TransportRequest } from '@page-module/core'
import { describe, expect, it } from 'vitest'
import failures from './__fixtures__/wx-cloud-failures.json'
import { createFakeWxCloud } from './testing'
import type { WxLike } from './wx-cloud'
import { createWxCloudTransport } from './wx-cloud-transport'

function requestFor(method: string, data?: unknown): TransportRequest {
  const envelope = createEnvelope({
    module: 'tcb:SignUp',
    method,
    requestId: 'r-1',
    client: { name: 'test', version: '0' },
    timestamp: 0,
    ...(data === undefined ? {} : { data }),
  })
  return { functionName: 'tcb-SignUp', envelope, attempt: 1, signal: createCancellation().signal, timeout: 1000 }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )
}

describe('createWxCloudTransport', () => {
  it('calls wx.cloud.callFunction with the function name, the envelope as data and config.env', async () => {
    const cloud = createFakeWxCloud({ doSignIn: () => ({ streak: 2, signedToday: true }) })
    const transport = createWxCloudTransport({ env: 'prod-1a2b', wx: { cloud } })
    const request = requestFor('doSignIn', {})
    const response = await transport.send(request)
    expect(cloud.calls).toEqual([{ name: 'tcb-SignUp', data: request.envelope, config: { env: 'prod-1a2b' } }])
    expect(response).toEqual({ body: { code: 0, data: { streak: 2, signedToday: true }, requestId: 'r-1' }, cloudRequestId: 'fake-1' })
  })

  it('leaves config out without env, so wx.cloud.init decides', async () => {
    const cloud = createFakeWxCloud({ getSignInStatus: () => ({ streak: 0 }) })
    await createWxCloudTransport({ wx: { cloud } }).send(requestFor('getSignInStatus'))
    expect(cloud.calls[0]).not.toHaveProperty('config')
  })

  it('maps a platform rejection (recorded shape) to a PageModuleError', async () => {
    const cloud = createFakeWxCloud().rejectNext(failures.functionMissing.error)
    const error = await rejectionOf(createWxCloudTransport({ wx: { cloud } }).send(requestFor('doSignIn')))
    expect(isPageModuleError(error) && error.code).toBe('FUNCTION_NOT_FOUND')
  })

  it('refuses a resolution that is not { result, errMsg, requestID }', async () => {
    const wx: WxLike = { cloud: { callFunction: async () => undefined as never } }
    const error = await rejectionOf(createWxCloudTransport({ wx }).send(requestFor('doSignIn')))
    expect(isPageModuleError(error) && [error.code, error.requestSent]).toEqual(['BAD_RESPONSE', true])
  })

  it('says what is missing when there is no wx or no wx.cloud, before sending anything', async () => {
    const noWx = await rejectionOf(createWxCloudTransport().send(requestFor('doSignIn')))
    expect(noWx).toMatchObject({ code: 'UNSUPPORTED_RUNTIME', requestSent: false })
    expect((noWx as Error).message).toContain('there is no global `wx` here')
    const noCloud = await rejectionOf(createWxCloudTransport({ wx: {} }).send(requestFor('doSignIn')))
    expect((noCloud as Error).message).toContain('wx.cloud is not available')
  })

  it('refuses an empty env at creation', () => {
    expect(() => createWxCloudTransport({ env: ' ' })).toThrow(/env must be a non-empty environment id/)
  })
})
