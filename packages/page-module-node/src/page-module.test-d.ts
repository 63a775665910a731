import { createFakeTransport } from '@page-module/core/testing'
import { createAccessTokenManager } from '@page-module/wechat'
import { describe, expectTypeOf, it } from 'vitest'
import { PageModule, type PageModuleOptions, type WxServerSdkPageModuleOptions } from './page-module'
import type { WxServerSdkCloud } from './cloud-function/wx-server-sdk-transport'

declare const cloud: WxServerSdkCloud
const tokens = createAccessTokenManager({ appId: 'wx1', appSecret: 'secret-of-wx1', backgroundRefresh: false })
const transport = createFakeTransport()
const keys = { secretId: 'AKID1', secretKey: 'key-1' }
const fetch = globalThis.fetch
const now = () => 0

describe('new PageModule(id, options): one transport, picked by its own keys', () => {
  it('takes each transport with its own keys and the shared call settings', () => {
    new PageModule('tcb:SignUp')
    new PageModule('tcb:SignUp', { ...keys, env: 'e', serviceUrl: 'http://127.0.0.1:1/admin', timeout: 1000, now })
    new PageModule('tcb:SignUp', { accessKey: 'api-key', env: 'e' })
    new PageModule('tcb:SignUp', { cloud, env: 'e', retries: 0 })
    new PageModule('tcb:SignUp', { appId: 'wx1', appSecret: 's', env: 'e', stable: false, fetch, now, apiBaseUrl: 'http://127.0.0.1:1' })
    new PageModule('tcb:SignUp', { tokens, env: 'e', fetch, now })
    new PageModule('tcb:SignUp', { transport, timeout: 1000 })
  })

  it('refuses a key of another transport', () => {
    // @ts-expect-error cloud (wx-server-sdk) with secretId (CloudBase signed HTTP)
    new PageModule('tcb:SignUp', { cloud, secretId: 'AKID1' })
    // @ts-expect-error appId (WeChat HTTP API) with a CloudBase key pair
    new PageModule('tcb:SignUp', { appId: 'wx1', appSecret: 's', env: 'e', ...keys })
    // @ts-expect-error serviceUrl (CloudBase) with tokens (WeChat HTTP API)
    new PageModule('tcb:SignUp', { tokens, env: 'e', serviceUrl: 'http://127.0.0.1:1/admin' })
    // @ts-expect-error fetch belongs to the WeChat HTTP API, not to CloudBase signed HTTP
    new PageModule('tcb:SignUp', { ...keys, env: 'e', fetch })
    // @ts-expect-error a transport of your own takes no transport keys
    new PageModule('tcb:SignUp', { transport, region: 'ap-shanghai' })
    // @ts-expect-error nor env
    new PageModule('tcb:SignUp', { transport, env: 'e' })
  })

  it('takes the official SDKs’ current-env symbol as env, and refuses their init options it does not take', () => {
    const DYNAMIC_CURRENT_ENV: symbol = Symbol.for('SYMBOL_CURRENT_ENV')
    new PageModule('tcb:SignUp', { ...keys, env: DYNAMIC_CURRENT_ENV })
    new PageModule('tcb:SignUp', { cloud, env: DYNAMIC_CURRENT_ENV })
    new PageModule('tcb:SignUp', { appId: 'wx1', appSecret: 's', env: DYNAMIC_CURRENT_ENV })
    // @ts-expect-error keepalive is @cloudbase/node-sdk's: pass agent
    new PageModule('tcb:SignUp', { ...keys, env: 'e', keepalive: true })
    // @ts-expect-error proxy is @cloudbase/node-sdk's: pass agent or serviceUrl
    new PageModule('tcb:SignUp', { cloud, proxy: 'http://127.0.0.1:3128' })
  })

  it('refuses an incomplete or doubled WeChat choice', () => {
    // @ts-expect-error appId needs appSecret
    new PageModule('tcb:SignUp', { appId: 'wx1', env: 'e' })
    // @ts-expect-error the WeChat HTTP API needs env
    new PageModule('tcb:SignUp', { appId: 'wx1', appSecret: 's' })
    // @ts-expect-error tokens already knows its appid and secret
    new PageModule('tcb:SignUp', { tokens, appSecret: 's', env: 'e' })
    // @ts-expect-error nor its store's kind
    new PageModule('tcb:SignUp', { tokens, stable: true, env: 'e' })
  })

  it('is a union TypeScript narrows by its keys', () => {
    const pick = (options: PageModuleOptions) => ('cloud' in options && options.cloud !== undefined ? options : undefined)
    expectTypeOf(pick).returns.toEqualTypeOf<WxServerSdkPageModuleOptions | undefined>()
    expectTypeOf<{ cloud: WxServerSdkCloud; secretId: string }>().not.toMatchTypeOf<PageModuleOptions>()
    expectTypeOf<{ appId: string; appSecret: string; env: string }>().toMatchTypeOf<PageModuleOptions>()
  })
})
