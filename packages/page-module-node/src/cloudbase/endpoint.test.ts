import { describe, expect, it } from 'vitest'
import { cloudBaseUrl, type EndpointInput } from './endpoint'

const base: EndpointInput = { env: 'test-1a2b', region: '', runtimeRegion: '', internal: false, serviceUrl: '', seqId: 'S' }

describe('cloudBaseUrl', () => {
  it.each<[string, Partial<EndpointInput>, string]>([
    ['the public host', {}, 'https://test-1a2b.tcb-api.tencentcloudapi.com/admin?env=test-1a2b&seqId=S'],
    ['a region', { region: 'ap-guangzhou' }, 'https://test-1a2b.ap-guangzhou.tcb-api.tencentcloudapi.com/admin?env=test-1a2b&seqId=S'],
    [
      'the internal host in the same region',
      { internal: true, region: 'ap-shanghai', runtimeRegion: 'ap-shanghai' },
      'http://test-1a2b.internal.ap-shanghai.tcb-api.tencentcloudapi.com/admin?env=test-1a2b&seqId=S',
    ],
    [
      'the public host over http for another region',
      { internal: true, region: 'ap-beijing', runtimeRegion: 'ap-shanghai' },
      'http://test-1a2b.ap-beijing.tcb-api.tencentcloudapi.com/admin?env=test-1a2b&seqId=S',
    ],
    ['an env that cannot be a host label', { env: 'Env.With.Dots' }, 'https://tcb-api.tencentcloudapi.com/admin?env=Env.With.Dots&seqId=S'],
    ['a serviceUrl', { serviceUrl: 'http://127.0.0.1:8080/admin' }, 'http://127.0.0.1:8080/admin?env=test-1a2b&seqId=S'],
    [
      'a serviceUrl with a query',
      { serviceUrl: 'http://127.0.0.1:8080/admin?x=1&' },
      'http://127.0.0.1:8080/admin?x=1&env=test-1a2b&seqId=S',
    ],
  ])('builds %s as the official SDK does', (_name, input, expected) => {
    expect(cloudBaseUrl({ ...base, ...input })).toBe(expected)
  })
})
