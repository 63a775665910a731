import { describe, expect, it } from 'vitest'
import { injectedServiceUrl, readCloudContext, runtimeTagOf } from './cloud-context'

describe('readCloudContext', () => {
  it('sees TCB_* and WX_* variables only when TCB_CONTEXT_KEYS or WX_CONTEXT_KEYS list them', () => {
    const context = readCloudContext({
      TCB_SOURCE: 'wx_client',
      WX_API_TOKEN: 'token',
      TCB_SEQID: 'unlisted',
      TCB_CONTEXT_KEYS: 'TCB_SOURCE',
      WX_CONTEXT_KEYS: 'WX_API_TOKEN',
      SCF_NAMESPACE: 'env-1',
    })
    expect(context).toEqual({ TCB_SOURCE: 'wx_client', WX_API_TOKEN: 'token' })
  })

  it('sees the always-visible variables unlisted, and reads no variable that does not shape the request', () => {
    const read: string[] = []
    const environment = new Proxy(
      {
        TRIGGER_SRC: 'timer',
        WX_TRIGGER_API_TOKEN_V0: 'timer-token',
        TCB_CONTEXT_CNFG: '{}',
        TCB_TRACELOG: 'trace-1',
        WX_CONTEXT_KEYS: 'TCB_TRACELOG',
      } as Record<string, string | undefined>,
      {
        get: (target, name: string) => (read.push(name), target[name]),
      },
    )
    expect(readCloudContext(environment)).toEqual({
      TRIGGER_SRC: 'timer',
      WX_TRIGGER_API_TOKEN_V0: 'timer-token',
      TCB_CONTEXT_CNFG: '{}',
      TCB_TRACELOG: 'trace-1',
    })
    expect(read.sort()).toEqual([
      'TCB_CONTEXT_CNFG',
      'TCB_CONTEXT_KEYS',
      'TCB_TRACELOG',
      'TRIGGER_SRC',
      'WX_CONTEXT_KEYS',
      'WX_TRIGGER_API_TOKEN_V0',
    ])
  })

  it('reads four variables in a process that is not a cloud function, the timer token only for a timer trigger', () => {
    const read: string[] = []
    const environment = new Proxy(
      { TRIGGER_SRC: 'http', WX_TRIGGER_API_TOKEN_V0: 'timer-token', PATH: '/bin' } as Record<string, string | undefined>,
      {
        get: (target, name: string) => (read.push(name), target[name]),
      },
    )
    expect(readCloudContext(environment)).toEqual({ TRIGGER_SRC: 'http' })
    expect(read.sort()).toEqual(['TCB_CONTEXT_CNFG', 'TCB_CONTEXT_KEYS', 'TRIGGER_SRC', 'WX_CONTEXT_KEYS'])
  })
})

describe('runtimeTagOf', () => {
  it.each([
    [{ TENCENTCLOUD_RUNENV: 'SCF' }, 'scf'],
    [{ CBR_ENV_ID: 'x' }, 'cbr'],
    [{ SUMERU_ENV: 'formal' }, 'sumeru'],
    [{ TENCENTCLOUD: 'true' }, 'tencentcloud'],
    [{}, 'unknown'],
  ])('tags %j as %s', (environment, tag) => {
    expect(runtimeTagOf(environment)).toBe(tag)
  })
})

describe('injectedServiceUrl', () => {
  it('reads TCB_CONTEXT_CNFG.URL and ignores a value that is not JSON', () => {
    expect(injectedServiceUrl({ TCB_CONTEXT_CNFG: '{"URL":"http://127.0.0.1:1/admin"}' })).toBe('http://127.0.0.1:1/admin')
    expect(injectedServiceUrl({ TCB_CONTEXT_CNFG: 'not json' })).toBe('')
  })
})
