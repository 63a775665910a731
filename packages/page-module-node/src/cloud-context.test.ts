import { describe, expect, it } from 'vitest'
import { injectedServiceUrl, readCloudContext, runtimeTagOf } from './cloud-context'

describe('readCloudContext', () => {
  it('sees TCB_* and WX_* variables only when TCB_CONTEXT_KEYS or WX_CONTEXT_KEYS list them', () => {
    const context = readCloudContext({ TCB_SOURCE: 'wx_client', WX_API_TOKEN: 'token', TCB_SEQID: 'unlisted', TCB_CONTEXT_KEYS: 'TCB_SOURCE', WX_CONTEXT_KEYS: 'WX_API_TOKEN', SCF_NAMESPACE: 'env-1' })
    expect(context).toEqual({ TCB_SOURCE: 'wx_client', WX_API_TOKEN: 'token', TCB_CONTEXT_KEYS: 'TCB_SOURCE', WX_CONTEXT_KEYS: 'WX_API_TOKEN', SCF_NAMESPACE: 'env-1' })
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
