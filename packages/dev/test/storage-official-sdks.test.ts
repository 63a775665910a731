import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCloudStorage } from '@page-module/wechat/storage'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { mountWeChatApi, type MountedWeChatApi } from '../src/emulator/wechat/mount-wechat-api'

const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
const scratch = mkdtempSync(path.join(tmpdir(), 'storage-sdks-'))
let emulator: Emulator
let wechat: MountedWeChatApi

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'sdk-env', log: () => undefined, maxInstances: 2 })
  wechat = mountWeChatApi(emulator)
})
afterAll(async () => {
  await emulator.close()
  rmSync(scratch, { recursive: true, force: true })
})

function nodeSdk() {
  return tcb.init({ env: emulator.env, secretId: emulator.secretId, secretKey: emulator.secretKey, serviceUrl: `${emulator.url}/admin` })
}

/** Runs the storage fixture function (wx-server-sdk inside) as a server would. */
async function inFunction<Result>(event: Record<string, unknown>): Promise<Result> {
  const outcome = await emulator.invokeFunction('storage', event)
  if (!outcome.ok) throw new Error(outcome.message)
  return outcome.result as Result
}

describe('@cloudbase/node-sdk 3.18.3 storage, unchanged', () => {
  it('uploads a Buffer and an fs.ReadStream, links, downloads and deletes them', async () => {
    const app = nodeSdk()
    const file = path.join(scratch, 'from-disk.txt')
    writeFileSync(file, 'read from disk')
    const fromBuffer = await app.uploadFile({ cloudPath: 'node-sdk/buffer.txt', fileContent: Buffer.from('a buffer') })
    const fromStream = await app.uploadFile({ cloudPath: 'node-sdk/stream.txt', fileContent: createReadStream(file) })
    expect(fromBuffer.fileID).toBe('cloud://sdk-env.7364-sdk-env/node-sdk/buffer.txt')
    expect(fromStream.fileID).toBe('cloud://sdk-env.7364-sdk-env/node-sdk/stream.txt')

    const { fileList } = await app.getTempFileURL({ fileList: [fromBuffer.fileID, { fileID: fromStream.fileID, maxAge: 60 }] })
    expect(fileList).toMatchObject([
      { code: 'SUCCESS', fileID: fromBuffer.fileID },
      { code: 'SUCCESS', fileID: fromStream.fileID },
    ])
    expect(await (await fetch(fileList[1]!.tempFileURL)).text()).toBe('read from disk')

    const downloaded = await app.downloadFile({ fileID: fromBuffer.fileID })
    expect(Buffer.from(downloaded.fileContent as Buffer).toString()).toBe('a buffer')

    const deleted = await app.deleteFile({ fileList: [fromBuffer.fileID, 'cloud://sdk-env.7364-sdk-env/node-sdk/never.txt'] })
    expect(deleted.fileList).toMatchObject([
      { code: 'SUCCESS', fileID: fromBuffer.fileID },
      { code: 'STORAGE_FILE_NONEXIST', fileID: 'cloud://sdk-env.7364-sdk-env/node-sdk/never.txt' },
    ])
    const after = await app.getTempFileURL({ fileList: [fromBuffer.fileID, 'cloud://other-env.6f74-other-env/a.txt'] })
    expect(after.fileList.map((file: { code: string }) => file.code)).toEqual(['STORAGE_FILE_NONEXIST', 'STORAGE_EXCEED_AUTHORITY'])
  })
})

/** A loopback proxy in front of the emulator's `/admin` that records each JSON body the SDK sends. */
async function recordingAdminProxy(): Promise<{ url: string; bodies: Array<Record<string, unknown>>; close: () => Promise<void> }> {
  const bodies: Array<Record<string, unknown>> = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk)
    const body = Buffer.concat(chunks)
    bodies.push(JSON.parse(body.toString('utf8')) as Record<string, unknown>)
    // node:http, not fetch: the Host header is signed and must reach the emulator unchanged.
    const target = new URL(emulator.url)
    const forwarded = httpRequest({
      host: target.hostname,
      port: target.port,
      path: request.url,
      method: request.method,
      headers: request.headers,
    })
    forwarded.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    })
    forwarded.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

describe('what @cloudbase/node-sdk 3.18.3 sends to /admin for storage', () => {
  it('is the three actions the emulator serves, with these fields', async () => {
    const proxy = await recordingAdminProxy()
    try {
      // The signature covers the Host header, which the proxy forwards unchanged.
      const app = tcb.init({
        env: emulator.env,
        secretId: emulator.secretId,
        secretKey: emulator.secretKey,
        serviceUrl: `${proxy.url}/admin`,
      })
      const { fileID } = await app.uploadFile({ cloudPath: 'wire/a.txt', fileContent: Buffer.from('wire') })
      await app.getTempFileURL({ fileList: [fileID, { fileID, maxAge: 30 }] })
      await app.deleteFile({ fileList: [fileID] })
      const storageBodies = proxy.bodies.map(({ action, path: cloudPath, method, file_list: fileList, fileid_list: fileIdList }) => ({
        action,
        ...(cloudPath === undefined ? {} : { path: cloudPath, method }),
        ...(fileList === undefined ? {} : { file_list: fileList }),
        ...(fileIdList === undefined ? {} : { fileid_list: fileIdList }),
      }))
      expect(storageBodies).toEqual([
        { action: 'storage.getUploadMetadata', path: 'wire/a.txt', method: 'put' },
        { action: 'storage.batchGetDownloadUrl', file_list: [{ fileid: fileID }, { fileid: fileID, max_age: 30 }] },
        { action: 'storage.batchDeleteFile', fileid_list: [fileID] },
      ])
      expect(proxy.bodies[0]).toMatchObject({ envName: emulator.env })
    } finally {
      await proxy.close()
    }
  })
})

describe('wx-server-sdk 4.0.2 storage inside an emulated function, unchanged', () => {
  it('uploadFile, getTempFileURL, downloadFile and deleteFile give the documented results', async () => {
    const uploaded = await inFunction<{ fileID: string; statusCode: number; errMsg: string }>({
      op: 'upload',
      cloudPath: 'wx/hello.txt',
      text: '你好, storage',
    })
    // statusCode -1 is the SDK's own: the node-sdk 3.17.2 it runs never reports the PUT's response to it.
    expect(uploaded).toEqual({ fileID: 'cloud://sdk-env.7364-sdk-env/wx/hello.txt', errMsg: 'uploadFile:ok', statusCode: -1 })

    const links = await inFunction<{ fileList: Array<Record<string, unknown>>; errMsg: string }>({
      op: 'getTempFileURL',
      fileList: [uploaded.fileID, 'cloud://sdk-env.7364-sdk-env/wx/none.txt'],
    })
    expect(links.errMsg).toBe('getTempFileURL:ok')
    expect(links.fileList).toEqual([
      { fileID: uploaded.fileID, status: 0, errMsg: 'ok', maxAge: 86_400, tempFileURL: expect.stringContaining('/wx/hello.txt?sign=') },
      {
        fileID: 'cloud://sdk-env.7364-sdk-env/wx/none.txt',
        status: -503003,
        errMsg: 'storage file not exists',
        maxAge: undefined,
        tempFileURL: '',
      },
    ])
    expect(await (await fetch(links.fileList[0]!.tempFileURL as string)).text()).toBe('你好, storage')

    expect(await inFunction({ op: 'download', fileID: uploaded.fileID })).toEqual({
      text: '你好, storage',
      statusCode: 200,
      errMsg: 'downloadFile:ok',
    })
    expect(await inFunction({ op: 'deleteFile', fileList: [uploaded.fileID] })).toEqual({
      fileList: [{ fileID: uploaded.fileID, status: 0, errMsg: 'ok' }],
      errMsg: 'deleteFile:ok',
    })
  })

  it('shares the files with WeChat’s HTTP API: one side uploads, the other reads and deletes', async () => {
    const storage = createCloudStorage(
      { env: 'sdk-env', appId: wechat.appId, appSecret: wechat.appSecret },
      { apiBaseUrl: wechat.apiBaseUrl },
    )
    const { fileID } = await storage.uploadFile({ cloudPath: 'shared/from-http-api.txt', fileContent: Buffer.from('over the HTTP API') })
    expect(await inFunction({ op: 'download', fileID })).toMatchObject({ text: 'over the HTTP API' })
    const fromFunction = await inFunction<{ fileID: string }>({
      op: 'upload',
      cloudPath: 'shared/from-function.txt',
      text: 'from a function',
    })
    expect((await storage.downloadFile({ fileID: fromFunction.fileID })).fileContent.toString()).toBe('from a function')
    const { fileList } = await nodeSdk().deleteFile({ fileList: [fileID, fromFunction.fileID] })
    expect(fileList.map((file: { code: string }) => file.code)).toEqual(['SUCCESS', 'SUCCESS'])
  })
})
