// Bad input at every public entry of every published package: what each gets. The test runs them and
// docs/reliability.md's table is generated from them.
import { PageModule as CorePageModule, assertFunctionName, parseEnvelope, parseModuleId, type Transport } from '@page-module/core'
import { CURRENT_ENV } from '@page-module/core/current-env'
import { PageModule as MiniProgramPageModule } from '@page-module/mp'
import { createFakeWxCloud } from '@page-module/mp/testing'
import { PageModule as NodePageModule, createCloudBaseTransport, createWxServerSdkTransport } from '@page-module/node'
import { createCustomApiRouter, customApiFunctionNameOf, defineModule } from '@page-module/host'
import { scaffoldCustomApi, startEmulator } from '@page-module/dev'
import { createWxCloudBridge } from '@page-module/dev/wx-cloud-bridge'
import {
  createAccessTokenManager,
  createFileTokenStore,
  createRemoteTokenProvider,
  createTokenServer,
  createWeChatHttpTransport,
} from '@page-module/wechat'
import { createRedisTokenStore } from '@page-module/wechat/redis'
import { PageModule } from 'page-module'

/** Everything that could carry a request out: each case must leave all of them untouched. */
export interface Probes {
  /** A transport that records every attempt. */
  readonly transport: Transport & { readonly calls: readonly unknown[] }
  /** A `wx.cloud` that records every `callFunction`. */
  readonly wxCloud: ReturnType<typeof createFakeWxCloud>
  /** A loopback CloudBase `/admin` that counts requests. */
  readonly serviceUrl: string
  /** A `fetch` that records every request (WeChat's API). */
  readonly fetch: typeof fetch
  /** A custom-interface function folder with an empty api/. */
  readonly customApiDir: string
  /** Module methods that ran. */
  readonly ran: { count: number }
}

export interface BadInputCase {
  readonly package: string
  readonly entry: string
  readonly input: string
  readonly code: string
  /** Throws or rejects with the error, or resolves with the answer a host gave. */
  readonly run: (probes: Probes) => unknown
}

const credentials = { secretId: 'AKIDbadInput', secretKey: 'bad-input-secret-key' }
const appId = 'wx1234567890abcdef'
const cyclic = (): Record<string, unknown> => {
  const value: Record<string, unknown> = {}
  value.self = value
  return value
}
const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)])
const core = (probes: Probes, options: object = {}) => new CorePageModule('tcb:SignUp', { transport: probes.transport, ...options })
const node = (probes: Probes, options: object = {}) =>
  new NodePageModule('tcb:SignUp', { ...credentials, env: 'bad-input-env', serviceUrl: probes.serviceUrl, environment: {}, ...options })
const envelope = {
  protocol: 'page-module/1',
  module: 'tcb:SignUp',
  method: 'doSignIn',
  requestId: 'r-1',
  client: { name: 'test', version: '1' },
  timestamp: 1,
}
const host = (probes: Probes) =>
  defineModule({ id: 'tcb:SignUp', environment: () => ({}), log: () => undefined, methods: { doSignIn: () => (probes.ran.count += 1) } })

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  {
    package: 'page-module',
    entry: 'new PageModule(id)',
    input: "id 'SignUp' (no provider)",
    code: 'INVALID_MODULE_ID',
    run: () => new PageModule('SignUp'),
  },
  {
    package: 'page-module',
    entry: 'new PageModule(id)',
    input: 'id 42',
    code: 'INVALID_MODULE_ID',
    run: () => new PageModule(42 as never),
  },
  {
    package: 'page-module',
    entry: 'new PageModule(id, options)',
    input: "secretId ''",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { secretId: '' }),
  },
  {
    package: 'page-module',
    entry: 'callMethod(method)',
    input: "method 'constructor'",
    code: 'INVALID_METHOD',
    run: (probes) => node(probes).callMethod('constructor' as never),
  },
  {
    package: 'page-module',
    entry: 'callMethod(method, data)',
    input: 'data with a Date',
    code: 'DATA_NOT_PLAIN',
    run: (probes) => node(probes).callMethod('doSignIn', { at: new Date(0) }),
  },

  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: 'no transport',
    code: 'INVALID_OPTIONS',
    run: () => new CorePageModule('tcb:SignUp', {} as never),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: "functionName '1-SignUp'",
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { functionName: '1-SignUp' }),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: 'timeout 0',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { timeout: 0 }),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: 'retries 1.5',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { retries: 1.5 }),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: 'maxPayloadBytes 7 MiB',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { maxPayloadBytes: 7 * 1024 * 1024 }),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: 'retryDelay 5 (not a function)',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { retryDelay: 5 }),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: "client 'me'",
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { client: 'me' }),
  },
  {
    package: '@page-module/core',
    entry: 'new PageModule(id, options)',
    input: 'middleware [{ name: "" }]',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes, { middleware: [{ name: '' }] }),
  },
  {
    package: '@page-module/core',
    entry: 'use(middleware)',
    input: 'a name already in use',
    code: 'INVALID_OPTIONS',
    run: (probes) =>
      core(probes)
        .use({ name: 'log', phase: 'call', handle: (request, next) => next(request) })
        .use({ name: 'log', phase: 'call', handle: (request, next) => next(request) }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method)',
    input: "method ''",
    code: 'INVALID_METHOD',
    run: (probes) => core(probes).callMethod('' as never),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method)',
    input: 'method of 65 characters',
    code: 'INVALID_METHOD',
    run: (probes) => core(probes).callMethod('a'.repeat(65) as never),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a cycle',
    code: 'DATA_CYCLIC',
    run: (probes) => core(probes).callMethod('doSignIn', cyclic()),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a function',
    code: 'DATA_FUNCTION',
    run: (probes) => core(probes).callMethod('doSignIn', { done: () => undefined }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a symbol',
    code: 'DATA_SYMBOL',
    run: (probes) => core(probes).callMethod('doSignIn', { kind: Symbol('x') }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a BigInt',
    code: 'DATA_BIGINT',
    run: (probes) => core(probes).callMethod('doSignIn', { points: 1n }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with NaN',
    code: 'DATA_NOT_FINITE',
    run: (probes) => core(probes).callMethod('doSignIn', { points: Number.NaN }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a sparse array',
    code: 'DATA_NOT_PLAIN',
    // eslint-disable-next-line no-sparse-arrays
    run: (probes) => core(probes).callMethod('doSignIn', { days: [1, , 3] }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data a getter makes larger after the check',
    code: 'DATA_TOO_LARGE',
    run: (probes) => {
      let reads = 0
      const data = {
        get note() {
          reads += 1
          return reads === 1 ? '' : 'x'.repeat(2 * 1024 * 1024)
        },
      }
      return core(probes).callMethod('doSignIn', data)
    },
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a Map',
    code: 'DATA_NOT_PLAIN',
    run: (probes) => core(probes).callMethod('doSignIn', { seen: new Map() }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a throwing getter',
    code: 'DATA_NOT_PLAIN',
    run: (probes) =>
      core(probes).callMethod(
        'doSignIn',
        Object.defineProperty({}, 'day', {
          enumerable: true,
          get: () => {
            throw new Error('not loaded')
          },
        }),
      ),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data with a `__proto__` key',
    code: 'DATA_FORBIDDEN_KEY',
    run: (probes) => core(probes).callMethod('doSignIn', JSON.parse('{"__proto__":{"admin":true}}')),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data nested 65 levels',
    code: 'DATA_TOO_DEEP',
    run: (probes) => core(probes).callMethod('doSignIn', nested(65)),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data)',
    input: 'data over maxPayloadBytes (16)',
    code: 'DATA_TOO_LARGE',
    run: (probes) => core(probes, { maxPayloadBytes: 16 }).callMethod('doSignIn', { day: '2026-11-21-and-more' }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data, options)',
    input: 'options null',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes).callMethod('doSignIn', {}, null as never),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data, options)',
    input: 'timeout -1',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes).callMethod('doSignIn', {}, { timeout: -1 }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data, options)',
    input: 'retries 11',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes).callMethod('doSignIn', {}, { retries: 11 }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data, options)',
    input: "idempotencyKey 'has space'",
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes).callMethod('doSignIn', {}, { idempotencyKey: 'has space' }),
  },
  {
    package: '@page-module/core',
    entry: 'callMethod(method, data, options)',
    input: 'signal {} (not a signal)',
    code: 'INVALID_OPTIONS',
    run: (probes) => core(probes).callMethod('doSignIn', {}, { signal: {} as never }),
  },
  {
    package: '@page-module/core',
    entry: 'parseModuleId(id)',
    input: "id 'tcb:'",
    code: 'INVALID_MODULE_ID',
    run: () => parseModuleId('tcb:'),
  },
  {
    package: '@page-module/core',
    entry: 'assertFunctionName(name)',
    input: "name 'tcb SignUp'",
    code: 'INVALID_OPTIONS',
    run: () => assertFunctionName('tcb SignUp'),
  },
  {
    package: '@page-module/core',
    entry: 'parseEnvelope(event)',
    input: "event 'text'",
    code: 'INVALID_REQUEST',
    run: () => parseEnvelope('text'),
  },
  {
    package: '@page-module/core',
    entry: 'parseEnvelope(event)',
    input: "protocol 'page-module/2'",
    code: 'UNSUPPORTED_PROTOCOL',
    run: () => parseEnvelope({ ...envelope, protocol: 'page-module/2' }),
  },

  {
    package: '@page-module/mp',
    entry: 'new PageModule(id, options)',
    input: "env ' '",
    code: 'INVALID_OPTIONS',
    run: (probes) => new MiniProgramPageModule('tcb:SignUp', { env: ' ', wx: { cloud: probes.wxCloud } }),
  },
  {
    package: '@page-module/mp',
    entry: 'new PageModule(id, options)',
    input: 'secretId and secretKey (server keys in client code)',
    code: 'INVALID_OPTIONS',
    run: (probes) =>
      new MiniProgramPageModule('tcb:SignUp', {
        secretId: 'AKIDleaked0001',
        secretKey: 'leaked-secret-key',
        wx: { cloud: probes.wxCloud },
      } as never),
  },
  {
    package: '@page-module/mp',
    entry: 'callMethod(method)',
    input: "method 'toString'",
    code: 'INVALID_METHOD',
    run: (probes) => new MiniProgramPageModule('tcb:SignUp', { wx: { cloud: probes.wxCloud } }).callMethod('toString' as never),
  },
  {
    package: '@page-module/mp',
    entry: 'callMethod(method, data)',
    input: 'wx without cloud',
    code: 'UNSUPPORTED_RUNTIME',
    run: () => new MiniProgramPageModule('tcb:SignUp', { wx: {} }).callMethod('doSignIn', {}),
  },

  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "serviceUrl 'ftp://host/admin'",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { serviceUrl: 'ftp://host/admin' }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "region 'ap shanghai'",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { region: 'ap shanghai' }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'headers with a line break in a value',
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { headers: { 'X-Trace-Id': 'a\r\nX-Injected: 1' } }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'agent {} (not an http.Agent)',
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { agent: {} }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'maxResponseBytes 0',
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { maxResponseBytes: 0 }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "logger 'console' (not a function)",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { logger: 'console' }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'cloud {} (not wx-server-sdk)',
    code: 'INVALID_OPTIONS',
    run: () => new NodePageModule('tcb:SignUp', { cloud: {} as never }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'cloud: true with secretId (keys of two transports)',
    code: 'INVALID_OPTIONS',
    run: () => new NodePageModule('tcb:SignUp', { cloud: true, secretId: 'AKIDbadInput' } as never),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'appId + appSecret with serviceUrl (keys of two transports)',
    code: 'INVALID_OPTIONS',
    run: (probes) =>
      new NodePageModule('tcb:SignUp', { appId, appSecret: 'bad-input-app-secret', env: 'e', serviceUrl: probes.serviceUrl } as never),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'transport with fetch (keys of two transports)',
    code: 'INVALID_OPTIONS',
    run: (probes) => new NodePageModule('tcb:SignUp', { transport: probes.transport, fetch: probes.fetch } as never),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'tokens with appSecret',
    code: 'INVALID_OPTIONS',
    run: (probes) =>
      new NodePageModule('tcb:SignUp', {
        tokens: createAccessTokenManager({ appId, appSecret: 'bad-input-app-secret', fetch: probes.fetch, backgroundRefresh: false }),
        appSecret: 'bad-input-app-secret',
        env: 'e',
      } as never),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "appId + appSecret with fetch 'fetch' (not a function)",
    code: 'INVALID_OPTIONS',
    run: () => new NodePageModule('tcb:SignUp', { appId, appSecret: 'bad-input-app-secret', env: 'e', fetch: 'fetch' } as never),
  },
  {
    package: '@page-module/node',
    entry: 'callMethod(method, data)',
    input: 'no keys in options or environment',
    code: 'MISSING_CREDENTIALS',
    run: (probes) => node(probes, { secretId: undefined, secretKey: undefined }).callMethod('doSignIn', {}),
  },
  {
    package: '@page-module/node',
    entry: 'callMethod(method, data)',
    input: 'secretId without secretKey',
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { secretKey: undefined }).callMethod('doSignIn', {}),
  },
  {
    package: '@page-module/node',
    entry: 'callMethod(method, data)',
    input: 'no env in options or environment',
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { env: undefined }).callMethod('doSignIn', {}),
  },
  {
    package: '@page-module/node',
    entry: 'createCloudBaseTransport(options)',
    input: "secretKey 'a b'",
    code: 'INVALID_OPTIONS',
    run: () => createCloudBaseTransport({ secretKey: 'a b' }),
  },
  {
    package: '@page-module/node',
    entry: 'createWxServerSdkTransport(cloud)',
    input: 'cloud {}',
    code: 'INVALID_OPTIONS',
    run: () => createWxServerSdkTransport({} as never),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: 'env: cloud.DYNAMIC_CURRENT_ENV outside a cloud function (no TCB_ENV, no SCF_NAMESPACE)',
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { env: CURRENT_ENV }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "env: Symbol('env') (not the SDKs' current-env symbol)",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { env: Symbol('env') }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "keepalive: true (@cloudbase/node-sdk's init option)",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { keepalive: true }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "proxy 'http://127.0.0.1:3128' (@cloudbase/node-sdk's init option)",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { proxy: 'http://127.0.0.1:3128' }),
  },
  {
    package: '@page-module/node',
    entry: 'new PageModule(id, options)',
    input: "credentials { private_key_id, private_key } (@cloudbase/node-sdk's init option)",
    code: 'INVALID_OPTIONS',
    run: (probes) => node(probes, { credentials: { private_key_id: 'k', private_key: 'p' } }),
  },

  {
    package: '@page-module/host',
    entry: 'defineModule(definition)',
    input: "id 'SignUp'",
    code: 'INVALID_MODULE_ID',
    run: () => defineModule({ id: 'SignUp', methods: {} }),
  },
  {
    package: '@page-module/host',
    entry: 'defineModule(definition)',
    input: 'methods null',
    code: 'INVALID_OPTIONS',
    run: () => defineModule({ id: 'tcb:SignUp', methods: null as never }),
  },
  {
    package: '@page-module/host',
    entry: 'defineModule(definition)',
    input: "a method 'yes' (not a function)",
    code: 'INVALID_OPTIONS',
    run: () => defineModule({ id: 'tcb:SignUp', methods: { doSignIn: 'yes' as never } }),
  },
  {
    package: '@page-module/host',
    entry: 'main(event) of defineModule',
    input: "event 'text'",
    code: 'INVALID_REQUEST',
    run: (probes) => host(probes)('text'),
  },
  {
    package: '@page-module/host',
    entry: 'main(event) of defineModule',
    input: "method 'hasOwnProperty'",
    code: 'INVALID_REQUEST',
    run: (probes) => host(probes)({ ...envelope, method: 'hasOwnProperty' }),
  },
  {
    package: '@page-module/host',
    entry: 'main(event) of defineModule',
    input: "method 'doSignUp' (not open)",
    code: 'METHOD_NOT_FOUND',
    run: (probes) => host(probes)({ ...envelope, method: 'doSignUp' }),
  },
  {
    package: '@page-module/host',
    entry: 'main(event) of defineModule',
    input: 'data with a `constructor` key',
    code: 'INVALID_REQUEST',
    run: (probes) => host(probes)({ ...envelope, data: { constructor: 1 } }),
  },
  {
    package: '@page-module/host',
    entry: 'main(event) of createCustomApiRouter',
    input: "name '../secret'",
    code: 'INVALID_REQUEST',
    run: (probes) =>
      createCustomApiRouter({ dir: probes.customApiDir })({
        pageModuleCustomApi: 1,
        module: 'tcb:SignUp',
        name: '../secret',
        data: {},
        requestId: 'r-1',
      }),
  },
  {
    package: '@page-module/host',
    entry: 'main(event) of createCustomApiRouter',
    input: 'an event without pageModuleCustomApi',
    code: 'INVALID_REQUEST',
    run: (probes) => createCustomApiRouter({ dir: probes.customApiDir })({ name: 'sendPrize' }),
  },
  {
    package: '@page-module/dev',
    entry: 'scaffoldCustomApi(options)',
    input: "apis ['../x']",
    code: 'INVALID_OPTIONS',
    run: (probes) => scaffoldCustomApi({ dir: `${probes.customApiDir}-scaffold`, module: 'tcb:SignUp', apis: ['../x'] }),
  },
  {
    package: '@page-module/dev',
    entry: 'startEmulator(options)',
    input: 'port -1',
    code: 'INVALID_OPTIONS',
    run: (probes) => startEmulator({ port: -1, functionsDir: probes.customApiDir, log: () => undefined }),
  },
  {
    package: '@page-module/dev',
    entry: 'startEmulator(options)',
    input: 'a functions folder that does not exist',
    code: 'INVALID_OPTIONS',
    run: () => startEmulator({ functionsDir: 'no-such-cloudfunctions', log: () => undefined }),
  },
  {
    package: '@page-module/dev',
    entry: 'startEmulator(options)',
    input: 'secretId without secretKey',
    code: 'INVALID_OPTIONS',
    run: (probes) => startEmulator({ functionsDir: probes.customApiDir, secretId: 'AKIDlocal', log: () => undefined }),
  },
  {
    package: '@page-module/dev',
    entry: 'createWxCloudBridge(options)',
    input: "url 'emulator'",
    code: 'INVALID_OPTIONS',
    run: () => createWxCloudBridge({ url: 'emulator', openid: 'oUser', appid: appId }),
  },
  {
    package: '@page-module/host',
    entry: 'customApiFunctionNameOf(id)',
    input: "id 'tcb'",
    code: 'INVALID_MODULE_ID',
    run: () => customApiFunctionNameOf('tcb'),
  },

  {
    package: '@page-module/wechat',
    entry: 'createAccessTokenManager(options)',
    input: "appId 'not an appid'",
    code: 'INVALID_OPTIONS',
    run: (probes) => createAccessTokenManager({ appId: 'not an appid', appSecret: 'secret', fetch: probes.fetch }),
  },
  {
    package: '@page-module/wechat',
    entry: 'createAccessTokenManager(options)',
    input: "appSecret ''",
    code: 'INVALID_OPTIONS',
    run: (probes) => createAccessTokenManager({ appId, appSecret: '', fetch: probes.fetch }),
  },
  {
    package: '@page-module/wechat',
    entry: 'createWeChatHttpTransport(options)',
    input: 'no env',
    code: 'INVALID_OPTIONS',
    run: (probes) => createWeChatHttpTransport({ appId, appSecret: 'secret', fetch: probes.fetch } as never),
  },
  {
    package: '@page-module/wechat',
    entry: 'createTokenServer(options)',
    input: "secret 'short'",
    code: 'INVALID_OPTIONS',
    run: () => createTokenServer({ secret: 'short', apps: [] } as never),
  },
  {
    package: '@page-module/wechat',
    entry: 'createFileTokenStore(path)',
    input: "path ''",
    code: 'INVALID_OPTIONS',
    run: () => createFileTokenStore(''),
  },
  {
    package: '@page-module/wechat',
    entry: 'createRedisTokenStore(options)',
    input: "url 'http://cache'",
    code: 'INVALID_OPTIONS',
    run: () => createRedisTokenStore({ url: 'http://cache' }),
  },
  {
    package: '@page-module/wechat',
    entry: 'createRedisTokenStore(options)',
    input: 'client {} (not ioredis)',
    code: 'INVALID_OPTIONS',
    run: () => createRedisTokenStore({ client: {} as never }),
  },
  {
    package: '@page-module/wechat',
    entry: 'createRemoteTokenProvider(options)',
    input: "appId ''",
    code: 'INVALID_OPTIONS',
    run: (probes) =>
      createRemoteTokenProvider({ url: probes.serviceUrl, secret: 'a-secret-of-enough-length', appId: '', fetch: probes.fetch } as never),
  },
]
