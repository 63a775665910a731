// `env: cloud.DYNAMIC_CURRENT_ENV` (wx-server-sdk's habit) in the cloud database and storage clients: the env of the
// cloud function this runs in, against the emulated WeChat API; refused where there is no such function.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PageModuleError } from '@page-module/core'
import { CURRENT_ENV } from '@page-module/core/current-env'
import { startEmulator, type Emulator } from '../../dev/src/emulator/start-emulator'
import { mountWeChatApi } from '../../dev/src/emulator/wechat/mount-wechat-api'
import { createCloudDatabase } from '../src/database/cloud-database'
import { createCloudStorage } from '../src/storage/cloud-storage'

const functionsDir = new URL('../../dev/test/fixtures/cloudfunctions', import.meta.url).pathname
const running: Emulator[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  for (const emulator of running.splice(0)) await emulator.close()
})

describe('env: cloud.DYNAMIC_CURRENT_ENV in createCloudDatabase and createCloudStorage', () => {
  it('is the function’s own env (TCB_ENV): the emulated env accepts the calls', async () => {
    const emulator = await startEmulator({ functionsDir, env: 'env-current', log: () => undefined })
    running.push(emulator)
    const wechat = mountWeChatApi(emulator)
    vi.stubEnv('TCB_ENV', 'env-current')
    const app = { env: CURRENT_ENV, appId: wechat.appId, appSecret: wechat.appSecret }
    const database = createCloudDatabase(app, { apiBaseUrl: wechat.apiBaseUrl })
    expect(database.env).toBe('env-current')
    await database.createCollection('todos')
    const added = await database.collection('todos').add({ data: { title: 'from the current env' } })
    expect(added._id).toEqual(expect.any(String))
    const storage = createCloudStorage(app, { apiBaseUrl: wechat.apiBaseUrl })
    expect(storage.env).toBe('env-current')
    const uploaded = await storage.uploadFile({ cloudPath: 'notes/a.txt', fileContent: Buffer.from('hi') })
    expect(uploaded.fileID).toMatch(/^cloud:\/\/env-current\./)
  })

  it('is refused outside a cloud function, before any request', () => {
    vi.stubEnv('TCB_ENV', '')
    vi.stubEnv('SCF_NAMESPACE', '')
    const app = { env: CURRENT_ENV, appId: 'wx1', appSecret: 'secret-1' }
    for (const build of [() => createCloudDatabase(app), () => createCloudStorage(app)]) {
      let thrown: unknown
      try {
        build()
      } catch (error) {
        thrown = error
      }
      expect(PageModuleError.isInstance(thrown)).toBe(true)
      expect(thrown).toMatchObject({
        code: 'INVALID_OPTIONS',
        requestSent: false,
        message: expect.stringContaining('no current environment'),
      })
    }
  })
})
