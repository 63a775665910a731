// The official @cloudbase/node-sdk and ours, pointed at the same loopback server for the same call, send the same
// request: same body fields in the same order, same signed headers and params, both verified by the official signer.
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PageModule } from '../src/page-module'
import { startLoopbackCloudBase, type LoopbackCloudBase, type RecordedRequest } from './loopback-cloudbase'

const require = createRequire(import.meta.url)
const tcb = require('@cloudbase/node-sdk') as {
  init(config: Record<string, unknown>): {
    callFunction(options: { name: string; data: unknown }): Promise<{ result: unknown; requestId: string }>
  }
}

const secretId = 'AKIDequivalenceTest'
const secretKey = 'equivalence-secret-key-1234'
let server: LoopbackCloudBase

beforeAll(async () => {
  server = await startLoopbackCloudBase({ credentials: [{ secretId, secretKey }] })
})
afterAll(async () => {
  await server.close()
})

// Values that differ by design: the clock, the per-process counter and each SDK's own name and version.
const VARYING_HEADERS = new Set(['x-client-timestamp', 'x-timestamp', 'user-agent', 'x-sdk-version', 'authorization', 'content-length'])

function comparable(request: RecordedRequest) {
  const authorization = String(request.headers.authorization)
  return {
    path: request.url.replace(/seqId=[^&]+/, 'seqId=*'),
    seqIdShape: /seqId=([^&]+)/.exec(request.url)?.[1]?.replace(/[0-9a-f]+_[0-9a-f]+$/, 'hex_hex'),
    bodyFields: Object.keys(request.params),
    body: request.params,
    headerOrder: request.headerOrder.map((name) => name.toLowerCase()),
    headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !VARYING_HEADERS.has(name))),
    signedHeaders: /SignedHeaders=([^,]+)/.exec(authorization)?.[1],
    signedParams: /SignedParams=([^,]+)/.exec(authorization)?.[1],
    credential: /Credential=([^,]+)/.exec(authorization)?.[1],
    verified: request.verified,
  }
}

/** Runs ours, then the official SDK with the very envelope ours sent, and returns both requests. */
async function bothRequests(ours: PageModule, official: ReturnType<typeof tcb.init>): Promise<[RecordedRequest, RecordedRequest]> {
  server.requests.length = 0
  await ours.callMethod('doSignIn', { day: '2026-11-21', 名字: ' 小明 ' })
  const envelope = JSON.parse(String(server.requests[0]?.params.request_data)) as unknown
  const answer = await official.callFunction({ name: 'tcb-SignUp', data: envelope })
  expect(answer.requestId).toMatch(/^loop-/)
  const [mine, theirs] = server.requests
  if (!mine || !theirs) throw new Error('expected two requests')
  return [mine, theirs]
}

describe('wire compatibility with @cloudbase/node-sdk 3.18.3', () => {
  it('sends the same request with a key pair and an STS token', async () => {
    const options = { env: 'test-env-1a2b', secretId, secretKey, sessionToken: 'sts-token-abc', serviceUrl: server.serviceUrl }
    const [mine, theirs] = await bothRequests(new PageModule('tcb:SignUp', { ...options, environment: {} }), tcb.init(options))
    expect(comparable(mine)).toEqual(comparable(theirs))
    expect(mine.verified).toBe(true)
    expect(mine.params.sessionToken).toBe('sts-token-abc')
  })

  it('sends the same request inside a simulated cloud function (SCF variables, injected endpoint)', async () => {
    const scf = {
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      SCF_NAMESPACE: 'scf-env-1a2b',
      TENCENTCLOUD_SECRETID: secretId,
      TENCENTCLOUD_SECRETKEY: secretKey,
      TENCENTCLOUD_SESSIONTOKEN: 'scf-temporary-session-token',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: server.serviceUrl }),
      TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_SESSIONTOKEN,TCB_SOURCE,TCB_TRACELOG',
      WX_CONTEXT_KEYS: 'WX_CLIENTIP,WX_CLIENTIPV6,WX_APPID,WX_OPENID,WX_API_TOKEN',
      TCB_ENV: 'scf-env-1a2b',
      TCB_SEQID: 'caller-seq-1',
      TCB_SOURCE: 'wx_client',
      TCB_SESSIONTOKEN: 'tcb-session-from-caller',
      TCB_TRACELOG: 'trace-1',
      TRIGGER_SRC: 'tcb',
      WX_API_TOKEN: 'wx-api-token',
      WX_OPENID: 'oOPENID',
    }
    const saved = { ...process.env }
    Object.assign(process.env, scf)
    try {
      const [mine, theirs] = await bothRequests(
        new PageModule('tcb:SignUp', { environment: { ...scf } }),
        tcb.init({ env: 'scf-env-1a2b' }),
      )
      // The official SDK means to turn keep-alive off in SCF, but Node >= 19's global agent keeps it on; we really
      // close, because a socket kept across a frozen invocation fails with a reset that cannot be retried safely.
      expect(mine.headers.connection).toBe('close')
      expect({ ...comparable(mine), headers: { ...comparable(mine).headers, connection: 'keep-alive' } }).toEqual(comparable(theirs))
      expect(mine.headers['x-tcb-source']).toBe('wx_client,scf')
      expect(mine.headers['x-tcb-region']).toBe('ap-shanghai')
      expect(mine.url).toMatch(/seqId=caller-seq-1-/)
      expect(mine.params).toMatchObject({
        envName: 'scf-env-1a2b',
        sessionToken: 'scf-temporary-session-token',
        wxCloudApiToken: 'wx-api-token',
        tcb_sessionToken: 'tcb-session-from-caller',
      })
    } finally {
      for (const name of Object.keys(scf)) if (!(name in saved)) delete process.env[name]
      Object.assign(process.env, saved)
    }
  })
})
