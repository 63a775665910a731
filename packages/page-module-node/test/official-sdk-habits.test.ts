// Habits from the official SDKs: `env: cloud.DYNAMIC_CURRENT_ENV` / `SYMBOL_CURRENT_ENV` means the function's own env
// (as @cloudbase/node-sdk reads it, checked against it here), and @cloudbase/node-sdk `init` options PageModule does not
// take are refused with what to do instead, never silently ignored.
import { createRequire } from 'node:module'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { PageModuleError } from '@page-module/core'
import { CURRENT_ENV } from '@page-module/core/current-env'
import { createWxServerSdkTransport } from '../src/cloud-function/wx-server-sdk-transport'
import { PageModule } from '../src/page-module'
import { NODE_SDK_ONLY_OPTIONS } from '../src/transport-choice'
import { startLoopbackCloudBase, type LoopbackCloudBase } from './loopback-cloudbase'

const require = createRequire(import.meta.url)
const tcb = require('@cloudbase/node-sdk') as {
  SYMBOL_CURRENT_ENV: symbol
  init(config: Record<string, unknown>): { callFunction(options: { name: string; data: unknown }): Promise<unknown> }
}
const cloud = require('wx-server-sdk') as { DYNAMIC_CURRENT_ENV: symbol }

const secretId = 'AKIDhabitsTest'
const secretKey = 'habits-secret-key-1234'
let server: LoopbackCloudBase

beforeAll(async () => {
  server = await startLoopbackCloudBase({ credentials: [{ secretId, secretKey }] })
})
afterAll(async () => {
  await server.close()
})
afterEach(() => {
  vi.unstubAllEnvs()
})

function refusal(build: () => unknown): PageModuleError {
  try {
    build()
  } catch (error) {
    if (PageModuleError.isInstance(error)) return error
    throw error
  }
  throw new Error('expected a PageModuleError')
}

describe('env: cloud.DYNAMIC_CURRENT_ENV / SYMBOL_CURRENT_ENV', () => {
  it('is the symbol both official SDKs hand out', () => {
    expect(tcb.SYMBOL_CURRENT_ENV).toBe(CURRENT_ENV)
    expect(cloud.DYNAMIC_CURRENT_ENV).toBe(CURRENT_ENV)
  })

  it('calls the function’s own env (TCB_ENV, then SCF_NAMESPACE), the env @cloudbase/node-sdk sends for it', async () => {
    vi.stubEnv('TCB_ENV', '')
    vi.stubEnv('SCF_NAMESPACE', 'current-env-1a2b')
    server.requests.length = 0
    const options = { secretId, secretKey, serviceUrl: server.serviceUrl }
    await new PageModule('tcb:SignUp', { ...options, env: cloud.DYNAMIC_CURRENT_ENV }).callMethod('doSignIn', { day: 'd' })
    await tcb.init({ ...options, env: tcb.SYMBOL_CURRENT_ENV }).callFunction({ name: 'tcb-SignUp', data: {} })
    const [mine, theirs] = server.requests
    expect(mine?.params.envName).toBe('current-env-1a2b')
    expect(mine?.params.envName).toBe(theirs?.params.envName)
    expect(mine?.url).toContain('env=current-env-1a2b&')
  })

  it('reads the variables of `environment` when it is given', async () => {
    server.requests.length = 0
    const environment = { TCB_ENV: 'given-env-1a2b' }
    const module = new PageModule('tcb:SignUp', { secretId, secretKey, serviceUrl: server.serviceUrl, environment, env: CURRENT_ENV })
    await module.callMethod('doSignIn', {})
    expect(server.requests[0]?.params.envName).toBe('given-env-1a2b')
  })

  it('is refused at construction outside a cloud function, for every transport that takes env', () => {
    vi.stubEnv('TCB_ENV', '')
    vi.stubEnv('SCF_NAMESPACE', '')
    const builds = [
      () => new PageModule('tcb:SignUp', { secretId, secretKey, env: CURRENT_ENV }),
      () => new PageModule('tcb:SignUp', { appId: 'wx1', appSecret: 'secret-1', env: CURRENT_ENV }),
      () => new PageModule('tcb:SignUp', { cloud: { callFunction: () => undefined }, env: CURRENT_ENV }),
    ]
    for (const build of builds) {
      const error = refusal(build)
      expect(error).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
      expect(error.message).toMatch(/no current environment here .*pass the env id/)
    }
  })

  it('goes to wx-server-sdk’s callFunction as the env id it stands for', async () => {
    vi.stubEnv('TCB_ENV', 'fn-env-1a2b')
    const calls: unknown[] = []
    const transport = createWxServerSdkTransport(
      {
        callFunction: (param) => {
          calls.push(param.config)
          return Promise.resolve({ result: { code: 0, data: null } })
        },
      },
      { env: CURRENT_ENV },
    )
    await transport.send({ functionName: 'f', envelope: {} as never, attempt: 1, timeout: 1000, signal: neverAborted })
    expect(calls).toEqual([{ env: 'fn-env-1a2b' }])
  })

  it('refuses another symbol', () => {
    const error = refusal(() => new PageModule('tcb:SignUp', { secretId, secretKey, env: Symbol('env') }))
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('cloud.DYNAMIC_CURRENT_ENV') })
  })
})

describe('@cloudbase/node-sdk init options PageModule does not take', () => {
  it.each(Object.keys(NODE_SDK_ONLY_OPTIONS))('%s is refused, saying what to do instead', (key) => {
    const error = refusal(() => new PageModule('tcb:SignUp', { secretId, secretKey, env: 'e', [key]: true } as never))
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect(error.message).toContain(`${key} is an option of @cloudbase/node-sdk's init that PageModule does not take — `)
    expect(error.message).toContain(NODE_SDK_ONLY_OPTIONS[key as keyof typeof NODE_SDK_ONLY_OPTIONS])
  })

  it('points keepalive and proxy to agent and serviceUrl', () => {
    expect(refusal(() => new PageModule('tcb:SignUp', { keepalive: false } as never)).message).toMatch(/agent: new https\.Agent/)
    expect(refusal(() => new PageModule('tcb:SignUp', { proxy: 'http://127.0.0.1:3128' } as never)).message).toMatch(/agent .*serviceUrl/)
  })

  it('keeps timeout: the same milliseconds in both', () => {
    expect(new PageModule('tcb:SignUp', { secretId, secretKey, env: 'e', timeout: 15000 }).transport.name).toBe('cloudbase')
  })
})

const neverAborted = { aborted: false, reason: undefined, addEventListener: () => undefined, removeEventListener: () => undefined }
