import { urlToHttpOptions } from 'node:url'
import { describe, expect, it } from 'vitest'
import { requestTargetOf } from './request-target'

const URLS = [
  'http://127.0.0.1:8080/admin?env=my-env-1a2b&seqId=19a8_1',
  'https://my-env.ap-shanghai.tcb-api.tencentcloudapi.com/admin?env=my-env&seqId=19a8_2',
  'http://[::1]:9000/admin?env=e&seqId=s',
  'http://user:pass@proxy.example/a/../admin?env=e&seqId=s',
  'http://host/admin?key=v&env=e&seqId=s',
  'http://host?env=e&seqId=s',
  'http://host/admin?env=é ü&seqId=s',
  'http://host/admin?env=a%20b#frag&seqId=s',
  'http://host/admin',
]

describe('requestTargetOf', () => {
  it.each(URLS)('gives http.request what Node derives from %s', (url) => {
    const node = urlToHttpOptions(new URL(url))
    // Twice: the second answer comes from the parsed base kept by the first.
    for (const target of [requestTargetOf(url), requestTargetOf(url)]) {
      expect(target).toEqual({ protocol: node.protocol, hostname: node.hostname, port: node.port, auth: node.auth, path: node.path })
    }
  })
})
