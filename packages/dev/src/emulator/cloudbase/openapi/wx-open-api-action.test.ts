import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../start-emulator'
import { mountWeChatApi } from '../../wechat/mount-wechat-api'
import { mountOpenApi } from '../../wechat/openapi/mount-open-api'
import { commApiData, commOpenApiResp } from './cloud-call-schema'
import { signAdminRequest } from '../../../../test/sign-admin-request'

const functionsDir = path.join(import.meta.dirname, '../../../../test/fixtures/cloudfunctions')
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'multipart-env', log: () => {} })
  mountOpenApi(emulator, mountWeChatApi(emulator))
})
afterAll(() => emulator.close())

/** A multipart `wx.openApi` request signed as node-sdk signs it (buffers hashed raw); `tamper` changes the bytes after signing. */
async function post(tamper?: (requestData: Buffer) => Buffer) {
  const requestData = commApiData.encode({
    apiType: 0,
    openapiData: { pairs: [{ key: 'path', value: Buffer.from('"pages/a/a"') }] },
  })
  const host = new URL(emulator.url).host
  const pathAndQuery = `/admin?env=${emulator.env}&seqId=mp_1`
  const params = { action: 'wx.openApi', apiName: 'urllink.generate', requestData, envName: emulator.env }
  const timestamp = Math.floor(Date.now() / 1000)
  const headers = { 'content-type': 'multipart/form-data', host }
  const authorization = signAdminRequest({ ...emulator, pathAndQuery, headers, params, timestamp })
  const form = new FormData()
  form.append('action', params.action)
  form.append('apiName', params.apiName)
  form.append('requestData', new Blob([tamper ? tamper(requestData) : requestData], { type: 'application/octet-stream' }))
  form.append('envName', params.envName)
  const response = await fetch(`${emulator.url}${pathAndQuery}`, {
    method: 'POST',
    headers: { authorization, 'x-timestamp': String(timestamp) },
    body: form,
  })
  return { contentType: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) }
}

describe('/admin wx.openApi over multipart', () => {
  it('verifies the signature over the raw requestData bytes; only a function may make a cloud call (-604104)', async () => {
    const answer = await post()
    expect(answer.contentType).toBe('application/octet-stream')
    expect(commOpenApiResp.decode(answer.body).errorCode).toBe(-604104)
  })

  it('refuses requestData changed after signing', async () => {
    const answer = await post((bytes) => Buffer.concat([bytes, Buffer.from([0x30, 0x00])]))
    expect(JSON.parse(answer.body.toString())).toMatchObject({ code: 'SIGN_PARAM_INVALID' })
  })
})
