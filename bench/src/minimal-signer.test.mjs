import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator } from '@page-module/dev'
import { sign as officialSign } from '@cloudbase/signature-nodejs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMinimalSigner } from './minimal-signer.mjs'
import { DATA, FUNCTION_NAME, METHOD, MODULE_ID } from './scenarios/bench-call.mjs'
import { createFloorClient } from './scenarios/independent-floor.mjs'

const credentials = { secretId: 'AKIDEXAMPLE1234567890abcdefghijkl', secretKey: 'SecretKeyExample0123456789abcdef' }

/** One request in both signers' terms: the official signer takes objects, the minimal one sorted lower-case pairs. */
function requestOf({ host, query, clientTimestamp, requestData, env, timestamp, extraParams = {} }) {
  const headers = {
    'content-type': 'application/json',
    'User-Agent': 'Bench-Floor/1',
    'X-TCB-Source': ',unknown',
    'X-Client-Timestamp': clientTimestamp,
    'X-SDK-Version': 'Bench-Floor/1',
    Host: host,
  }
  const params = {
    action: 'functions.invokeFunction',
    function_name: 'bench-Echo',
    request_data: requestData,
    envName: env,
    wxCloudApiToken: '',
    crossAuthorizationToken: '',
    ...extraParams,
  }
  const pairs = (record) =>
    Object.entries(record)
      .map(([name, value]) => [name.toLowerCase(), value])
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
  return {
    official: { method: 'post', url: `https://${host}/admin?${query}`, headers, params, timestamp },
    minimal: { timestamp, host, path: '/admin', query, headers: pairs(headers), params: pairs(params) },
  }
}

describe('the bench minimal signer', () => {
  const cases = [
    {
      host: 'test-env-1a2b3c.tcb-api.tencentcloudapi.com',
      query: 'env=test-env-1a2b3c&seqId=18bcfe56800_1',
      clientTimestamp: '1700000000123',
      requestData: '{"a":1}',
      env: 'test-env-1a2b3c',
      timestamp: 1700000000,
    },
    {
      host: '127.0.0.1:43121',
      query: 'env=bench-env&seqId=19ad0c3e1f0_2a',
      clientTimestamp: '1795287643275',
      requestData: JSON.stringify({ module: 'bench:Echo', data: { text: ' Ünïcode — 云开发 ', list: [1, 2] } }),
      env: 'bench-env',
      timestamp: 1795287642,
    },
    // An STS token is signed as a param; a value with spaces around it is signed trimmed.
    {
      host: 'e.ap-shanghai.tcb-api.tencentcloudapi.com',
      query: 'env=e&seqId=1_1',
      clientTimestamp: '1795305599999',
      requestData: '',
      env: 'e',
      timestamp: 1795305599,
      extraParams: { sessionToken: '  sts-Token/with+chars=  ', tcb_sessionToken: 'caller' },
    },
  ]

  it.each(cases)('signs $host $query exactly as @cloudbase/signature-nodejs', (input) => {
    const { official, minimal } = requestOf(input)
    const expected = officialSign({ ...credentials, ...official, withSignedParams: true }).authorization
    expect(createMinimalSigner(credentials)(minimal)).toBe(expected)
  })

  it('derives a new signing key when the UTC day changes, and keeps signing right on either side', () => {
    const sign = createMinimalSigner(credentials)
    // 2026-11-21 23:59:59 UTC, then the next second, then back: each one signed with its own day's key.
    for (const timestamp of [1795305599, 1795305600, 1795305599, 1795305600 + 86_399]) {
      const { official, minimal } = requestOf({ ...cases[1], timestamp })
      const expected = officialSign({ ...credentials, ...official, withSignedParams: true }).authorization
      expect(sign(minimal)).toBe(expected)
    }
  })

  it('leaves out params with an empty value, as the official signer does', () => {
    const { minimal } = requestOf(cases[0])
    expect(createMinimalSigner(credentials)(minimal)).toContain('SignedParams=action;envname;function_name;request_data,')
  })
})

describe('the independent floor contender against the emulator (signatures verified with the official signer)', () => {
  let emulator
  const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-bench-floor-'))

  beforeAll(async () => {
    mkdirSync(path.join(functionsDir, FUNCTION_NAME))
    writeFileSync(path.join(functionsDir, FUNCTION_NAME, 'index.js'), 'exports.main = async (event) => ({ code: 0, data: event })\n')
    emulator = await startEmulator({ functionsDir, env: 'bench-env', log: () => undefined, maxInstances: 2 })
  })
  afterAll(async () => {
    await emulator?.close()
    rmSync(functionsDir, { recursive: true, force: true })
  })

  it('calls the function and reads its answer out of the JSON-in-JSON', async () => {
    const client = createFloorClient({
      serviceUrl: `${emulator.url}/admin`,
      env: emulator.env,
      credentials: { secretId: emulator.secretId, secretKey: emulator.secretKey },
    })
    try {
      const answers = await Promise.all([client.call(), client.call(), client.call()])
      for (const answer of answers) {
        expect(answer.code).toBe(0)
        expect(answer.data).toMatchObject({ protocol: 'page-module/1', module: MODULE_ID, method: METHOD, data: DATA })
      }
      expect(new Set(answers.map((answer) => answer.data.requestId)).size).toBe(3)
    } finally {
      client.close()
    }
  })

  it('is refused with a wrong key, so the emulator does check what the floor signs', async () => {
    const client = createFloorClient({
      serviceUrl: `${emulator.url}/admin`,
      env: emulator.env,
      credentials: { secretId: emulator.secretId, secretKey: `${emulator.secretKey}x` },
    })
    try {
      await expect(client.call()).rejects.toThrow(/SIGN_PARAM_INVALID|signature/i)
    } finally {
      client.close()
    }
  })
})
