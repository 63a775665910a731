import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPageModuleError } from '@page-module/core'
import { startLoopbackCloudBase, type LoopbackCloudBase } from '../../test/loopback-cloudbase'
import answers from '../__fixtures__/cloudbase-answers.json'
import { PageModule } from '../page-module'
import { createWxServerSdkTransport, type WxServerSdkCloud } from './wx-server-sdk-transport'

const require = createRequire(import.meta.url)
const secretId = 'AKIDwxServerSdkTest'
const secretKey = 'WX-SERVER-SDK-secret-key-0042'
let server: LoopbackCloudBase
let cloud: WxServerSdkCloud & {
  init(config: Record<string, unknown>): void
  createNewInstance(config: Record<string, unknown>): WxServerSdkCloud
}

beforeAll(async () => {
  server = await startLoopbackCloudBase({ credentials: [{ secretId, secretKey }] })
  cloud = require('wx-server-sdk') as typeof cloud
  cloud.init({ env: 'wx-env-1a2b', serviceUrl: server.serviceUrl, secretId, secretKey })
})
afterAll(async () => {
  await server.close()
})

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
}

describe('the wx-server-sdk transport', () => {
  it('calls the module through cloud.callFunction and returns its data', async () => {
    const signUp = new PageModule('tcb:SignUp', { cloud })
    await expect(signUp.callMethod('doSignIn', { day: '2026-11-21' })).resolves.toEqual({ echo: { day: '2026-11-21' }, method: 'doSignIn' })
    const request = server.requests.at(-1)
    expect(request?.verified).toBe(true)
    expect(request?.params).toMatchObject({ function_name: 'tcb-SignUp', envName: 'wx-env-1a2b' })
    expect(request?.headers['x-sdk-version']).toMatch(/^wx-server-sdk\//)
  })

  it('maps a function failure, keeping the CloudBase code and requestId', async () => {
    server.script({ kind: 'json', body: answers.functionFailed })
    const error = await rejection(new PageModule('tcb:SignUp', { cloud, retries: 0 }).callMethod('doSignIn'))
    expect(isPageModuleError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'FUNCTION_FAILED',
      cloudRequestId: 'emu-3-0000-1111',
      details: { cloudbaseCode: 'FUNCTIONS_EXECUTE_FAIL', errCode: -1 },
    })
  })

  it('maps a missing function and an invalid env', async () => {
    server.script({ kind: 'json', body: answers.functionNotFound }, { kind: 'json', body: answers.invalidEnv })
    const signUp = new PageModule('tcb:SignUp', { cloud, retries: 0 })
    await expect(rejection(signUp.callMethod('doSignIn'))).resolves.toMatchObject({ code: 'FUNCTION_NOT_FOUND' })
    await expect(rejection(signUp.callMethod('doSignIn'))).resolves.toMatchObject({ code: 'INVALID_ENV' })
  })

  it('maps wx errCode answers returned instead of thrown', async () => {
    const fakeCloud: WxServerSdkCloud = {
      callFunction: () =>
        Promise.reject(
          Object.assign(new Error('callFunction:fail requestID r-1, boom'), {
            errCode: -504002,
            errMsg: 'callFunction:fail requestID r-1, boom',
            requestID: 'r-1',
          }),
        ),
    }
    const error = await rejection(
      new PageModule('tcb:SignUp', { transport: createWxServerSdkTransport(fakeCloud), retries: 0 }).callMethod('doSignIn'),
    )
    expect(error).toMatchObject({
      code: 'FUNCTION_FAILED',
      cloudRequestId: 'r-1',
      details: { cloudbaseCode: 'FUNCTIONS_EXECUTE_FAIL', errCode: -504002 },
    })
  })

  it('reports a refused connection as never sent', async () => {
    const closed = await startLoopbackCloudBase({ credentials: [] })
    await closed.close()
    const otherCloud = cloud.createNewInstance({ env: 'wx-env-closed', serviceUrl: closed.serviceUrl, secretId, secretKey })
    const error = await rejection(new PageModule('tcb:SignUp', { cloud: otherCloud, retries: 0 }).callMethod('doSignIn'))
    expect(error).toMatchObject({ code: 'NETWORK', requestSent: false, retryable: true })
    expect(JSON.stringify(error)).not.toContain(secretKey)
  })

  it('refuses something that is not a cloud object', () => {
    expect(() => createWxServerSdkTransport({} as WxServerSdkCloud)).toThrow(/wx-server-sdk/)
  })
})
