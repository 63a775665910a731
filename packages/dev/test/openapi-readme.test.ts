import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { mountWeChatApi, type MountedWeChatApi } from '../src/emulator/wechat/mount-wechat-api'
import { mountOpenApi, type MountedOpenApi } from '../src/emulator/wechat/openapi/mount-open-api'
import { createWxCloudBridge } from '../src/wx-cloud-bridge'

// The open-API examples of packages/wechat/README.md, run as written against the emulator.
const readme = readFileSync(path.join(import.meta.dirname, '../../wechat/README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## Open APIs'))
const [, httpsExample = ''] = /```ts\n([\s\S]*?)```/.exec(section) ?? []
const [, functionExample = ''] = /```js\n([\s\S]*?)```/.exec(section) ?? []
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')

let emulator: Emulator
let wechat: MountedWeChatApi
let openApi: MountedOpenApi
const scratch = mkdtempSync(path.join(tmpdir(), 'page-module-openapi-readme-'))

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'readme-env', log: () => {}, maxInstances: 1 })
  wechat = mountWeChatApi(emulator)
  openApi = mountOpenApi(emulator, wechat)
})
afterAll(async () => {
  await emulator.close()
  rmSync(scratch, { recursive: true, force: true })
})

describe('packages/wechat/README.md open-API examples', () => {
  it('the HTTPS example runs as written', async () => {
    expect(httpsExample).toContain("from '@page-module/wechat/openapi'")
    vi.stubEnv('WECHAT_APPID', wechat.appId)
    vi.stubEnv('WECHAT_SECRET', wechat.appSecret)
    vi.stubEnv('WECHAT_API_BASE_URL', wechat.apiBaseUrl)
    const printed: unknown[] = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(line))
    const file = path.join(scratch, 'https-example.ts')
    writeFileSync(file, httpsExample)
    await import(file)
    expect(printed).toEqual([openApi.service.sent[0]!.msgId, 'id=42'])
    expect(printed[0]).toBe('1730583985829494784')
  })

  it('the cloud-function example is the readme-openapi fixture, and runs', async () => {
    expect(readFileSync(path.join(functionsDir, 'readme-openapi/index.js'), 'utf8')).toBe(functionExample)
    const user = { openid: 'oREADME', appid: wechat.appId }
    const { cloudID } = await createWxCloudBridge({ url: emulator.url, ...user }).openData({ stepInfoList: [{ timestamp: 1, step: 99 }] })
    const outcome = await emulator.invokeFunction('readme-openapi', { weRunCloudID: cloudID }, user)
    expect(outcome).toMatchObject({ ok: true, result: { codeBytes: expect.any(Number), steps: [{ timestamp: 1, step: 99 }] } })
    expect(openApi.service.sent.at(-1)).toMatchObject({ api: 'customerServiceMessage.send', touser: 'oREADME' })
  })
})
