import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWxCloudBridge, type WxCloudError } from '../src/wx-cloud-bridge'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'

const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
const scratch = mkdtempSync(path.join(tmpdir(), 'bridge-storage-'))
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'mp-env', log: () => undefined, maxStorageFileBytes: 64 })
})
afterAll(async () => {
  await emulator.close()
  rmSync(scratch, { recursive: true, force: true })
})

describe('the wx.cloud bridge: uploadFile and getTempFileURL', () => {
  it('uploads a local file and links to it, with wx callbacks and wx results', async () => {
    const wx = { cloud: createWxCloudBridge({ url: emulator.url, openid: 'oUser1', appid: 'wxApp1' }) }
    const filePath = path.join(scratch, 'photo.jpg')
    writeFileSync(filePath, 'jpeg bytes')
    const completed: unknown[] = []
    const uploaded = await wx.cloud.uploadFile({
      cloudPath: 'user/oUser1/photo.jpg',
      filePath,
      complete: (result) => completed.push(result),
    })
    expect(uploaded).toEqual({ fileID: 'cloud://mp-env.6d70-mp-env/user/oUser1/photo.jpg', statusCode: 204, errMsg: 'cloud.uploadFile:ok' })
    expect(completed).toEqual([uploaded])

    const { fileList, errMsg } = await wx.cloud.getTempFileURL({
      fileList: [{ fileID: uploaded.fileID, maxAge: 120 }, 'cloud://mp-env.6d70-mp-env/none.jpg'],
    })
    expect(errMsg).toBe('cloud.getTempFileURL:ok')
    expect(fileList[0]).toMatchObject({ fileID: uploaded.fileID, status: 0, maxAge: 120 })
    expect(fileList[1]).toMatchObject({ status: -503003, tempFileURL: '' })
    const served = await fetch(fileList[0]!.tempFileURL)
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(await served.text()).toBe('jpeg bytes')
  })

  it('fails like wx.cloud: a bad cloudPath, a file over the limit, another env', async () => {
    const wx = { cloud: createWxCloudBridge({ url: emulator.url, openid: 'oUser1', appid: 'wxApp1' }) }
    const filePath = path.join(scratch, 'big.bin')
    writeFileSync(filePath, Buffer.alloc(65))
    const failures: WxCloudError[] = []
    await expect(wx.cloud.uploadFile({ cloudPath: '../x.bin', filePath, fail: (error) => failures.push(error) })).rejects.toMatchObject({
      errMsg: expect.stringMatching(/^cloud\.uploadFile:fail cloudPath path is refused/),
    })
    expect(failures).toHaveLength(1)
    await expect(wx.cloud.uploadFile({ cloudPath: 'big.bin', filePath })).rejects.toMatchObject({
      errMsg: expect.stringContaining('limit of 64 bytes'),
    })
    await expect(wx.cloud.getTempFileURL({ fileList: ['cloud://x'], config: { env: 'other' } })).rejects.toMatchObject({ errCode: -501000 })
    const refused = await fetch(`${emulator.url}/__page-module/wx-cloud/uploadFile?cloudPath=a.txt`, { method: 'POST', body: 'x' })
    expect(refused.status).toBe(403)
  })
})
