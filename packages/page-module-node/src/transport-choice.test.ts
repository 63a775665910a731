import { createFakeTransport } from '@page-module/core/testing'
import { describe, expect, it } from 'vitest'
import { PageModule } from './page-module'
import { chooseTransport } from './transport-choice'

/** What `new PageModule` throws for options that mix transports (they are untyped here on purpose: JavaScript callers). */
function refusal(options: Record<string, unknown>): { code: string; message: string; requestSent: unknown } | undefined {
  try {
    new PageModule('tcb:SignUp', options as never)
    return undefined
  } catch (error) {
    return error as { code: string; message: string; requestSent: unknown }
  }
}

const cloud = { callFunction: () => Promise.resolve({ result: { code: 0 } }) }
const transport = createFakeTransport()

describe('chooseTransport', () => {
  it('picks the transport whose keys the options use; none is CloudBase signed HTTP with the environment’s keys', () => {
    expect(chooseTransport({})).toBe('cloudbase')
    expect(chooseTransport({ env: 'e', timeout: 1000 })).toBe('cloudbase')
    expect(chooseTransport({ secretId: 'AKID1', secretKey: 'k', env: 'e' })).toBe('cloudbase')
    expect(chooseTransport({ cloud, env: 'e' })).toBe('wx-server-sdk')
    expect(chooseTransport({ appId: 'wx1', appSecret: 's', env: 'e' })).toBe('wechat-api')
    expect(chooseTransport({ tokens: {}, env: 'e', fetch: () => undefined })).toBe('wechat-api')
    expect(chooseTransport({ transport })).toBe('custom')
  })

  it('treats a key set to undefined as absent', () => {
    expect(chooseTransport({ cloud, secretId: undefined, appId: undefined })).toBe('wx-server-sdk')
  })
})

describe('new PageModule(id, options) refuses keys of two transports, naming both', () => {
  it('cloud: true with secretId', () => {
    expect(refusal({ cloud: true, secretId: 'AKID1' })).toMatchObject({
      code: 'INVALID_OPTIONS',
      requestSent: false,
      message: expect.stringMatching(/^secretId and cloud pick different transports — .*; pass the options of one$/),
    })
  })

  it.each([
    [{ cloud, serviceUrl: 'http://127.0.0.1:1/admin' }, 'serviceUrl', 'cloud'],
    [{ cloud, accessKey: 'api-key' }, 'accessKey', 'cloud'],
    [{ cloud, environment: {} }, 'environment', 'cloud'],
    [{ appId: 'wx1', appSecret: 's', env: 'e', sessionToken: 'sts' }, 'sessionToken', 'appId'],
    [{ tokens: {}, env: 'e', agent: {} }, 'agent', 'tokens'],
    [{ cloud, apiBaseUrl: 'http://127.0.0.1:1' }, 'cloud', 'apiBaseUrl'],
    [{ appId: 'wx1', appSecret: 's', env: 'e', cloud }, 'cloud', 'appId'],
    [{ transport, secretKey: 'k' }, 'secretKey', 'transport'],
    [{ transport, fetch: globalThis.fetch }, 'fetch', 'transport'],
    [{ transport, cloud }, 'cloud', 'transport'],
    [{ secretId: 'AKID1', secretKey: 'k', env: 'e', fetch: globalThis.fetch }, 'secretId', 'fetch'],
  ])('%o', (options, first, second) => {
    const error = refusal(options)
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(error?.message).toContain(`${first} and ${second} pick different transports`)
  })

  it('a transport of your own with env', () => {
    expect(refusal({ transport, env: 'e' })).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('transport and env do not go together'),
    })
  })

  it('never quotes a value (a key pair may be among them)', () => {
    const error = refusal({ cloud, secretId: 'AKID-visible-id', secretKey: 'SECRET-KEY-never-shown' })
    expect(JSON.stringify(error) + String(error)).not.toContain('SECRET-KEY-never-shown')
  })

  it('still builds each transport from its own keys', () => {
    expect(new PageModule('tcb:SignUp', { cloud }).transport.name).toBe('wx-server-sdk')
    expect(new PageModule('tcb:SignUp', { transport }).transport).toBe(transport)
    expect(new PageModule('tcb:SignUp', { appId: 'wx1', appSecret: 'secret-of-wx1', env: 'e' }).transport.name).toBe('wechat-http')
    expect(new PageModule('tcb:SignUp', { secretId: 'AKID1', secretKey: 'k', env: 'e' }).transport.name).toBe('cloudbase')
  })
})
