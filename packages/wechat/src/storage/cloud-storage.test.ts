import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../../dev/src/emulator/start-emulator'
import { mountWeChatApi } from '../../../dev/src/emulator/wechat/mount-wechat-api'
import { createCloudStorage } from './cloud-storage'

const functionsDir = new URL('../../../dev/test/fixtures/cloudfunctions', import.meta.url).pathname
const running: Emulator[] = []
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.close()
})

/** The emulator with WeChat's API, and a storage client whose every request is recorded. */
async function setup(options: { maxStorageFileBytes?: number; rewrite?: (path: string, answer: Record<string, unknown>) => void } = {}) {
  const emulator = await startEmulator({ functionsDir, env: 'env-1a2b', log: () => undefined, ...options })
  running.push(emulator)
  const wechat = mountWeChatApi(emulator)
  const requests: Array<{ method: string; path: string; body?: unknown }> = []
  const recordingFetch = async (url: string, init: RequestInit) => {
    const { pathname } = new URL(url)
    requests.push({ method: init.method ?? 'GET', path: pathname, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined })
    const response = await fetch(url, init)
    if (!options.rewrite || !pathname.startsWith('/tcb/')) return response
    const answer = (await response.json()) as Record<string, unknown>
    options.rewrite(pathname, answer)
    return new Response(JSON.stringify(answer), { status: response.status, headers: response.headers })
  }
  const storage = createCloudStorage(
    { env: 'env-1a2b', appId: wechat.appId, appSecret: wechat.appSecret },
    { apiBaseUrl: wechat.apiBaseUrl, fetch: recordingFetch },
  )
  return { emulator, storage, requests }
}

async function fetchBytes(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(url)
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) }
}

describe('createCloudStorage against the emulator', () => {
  it('uploads through a ticket and the COS form POST, and the temporary URL serves the same bytes', async () => {
    const { storage, requests } = await setup()
    const bytes = Buffer.from('\x89PNG\r\n\x1a\n fake image bytes')
    const uploaded = await storage.uploadFile({ cloudPath: 'avatars/u-1001.png', fileContent: bytes })
    expect(uploaded).toEqual({ fileID: 'cloud://env-1a2b.656e-env-1a2b/avatars/u-1001.png', statusCode: 204, errMsg: 'uploadFile:ok' })
    expect(requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'GET /cgi-bin/token',
      'POST /tcb/uploadfile',
      'POST /__page-module/cos/656e-env-1a2b-1250000000/avatars/u-1001.png',
    ])
    expect(requests[1]!.body).toEqual({ env: 'env-1a2b', path: 'avatars/u-1001.png' })

    const { fileList, errMsg } = await storage.getTempFileURL({ fileList: [uploaded.fileID] })
    expect(errMsg).toBe('getTempFileURL:ok')
    expect(fileList).toEqual([
      {
        fileID: uploaded.fileID,
        tempFileURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
        status: 0,
        errMsg: 'ok',
        maxAge: 7200,
      },
    ])
    const served = await fetchBytes(fileList[0]!.tempFileURL)
    expect(served).toEqual({ status: 200, type: 'image/png', bytes })

    const downloaded = await storage.downloadFile({ fileID: uploaded.fileID })
    expect(downloaded.errMsg).toBe('downloadFile:ok')
    expect(downloaded.fileContent.equals(bytes)).toBe(true)
  })

  it('streams a Node Readable, a web ReadableStream, a Blob and a Uint8Array alike', async () => {
    const { storage } = await setup()
    const text = '一二三 hello '.repeat(1000)
    const sources = {
      'a/readable.txt': Readable.from([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))]),
      'a/web.txt': new Blob([text]).stream(),
      'a/blob.txt': new Blob([text]),
      'a/bytes.txt': new TextEncoder().encode(text),
    }
    for (const [cloudPath, fileContent] of Object.entries(sources)) {
      const { fileID } = await storage.uploadFile({ cloudPath, fileContent })
      const { fileContent: back } = await storage.downloadFile({ fileID })
      expect(back.toString('utf8'), cloudPath).toBe(text)
    }
  })

  it('refuses a bad cloudPath or fileContent before anything is sent', async () => {
    const { storage, requests } = await setup()
    for (const cloudPath of ['../escape.png', '/abs.png', 'a/\u0000.png', 'x'.repeat(900)]) {
      await expect(storage.uploadFile({ cloudPath, fileContent: Buffer.from('x') })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        requestSent: false,
      })
    }
    await expect(storage.uploadFile({ cloudPath: 'a.txt', fileContent: 'text' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    })
    await expect(storage.getTempFileURL({ fileList: [{ fileID: 'cloud://x', maxAge: -1 }] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    })
    expect(requests).toEqual([])
  })

  it('splits lists over 50 into batches and reports each file on its own', async () => {
    const { storage, requests } = await setup()
    const { fileID } = await storage.uploadFile({ cloudPath: 'kept.txt', fileContent: Buffer.from('kept') })
    const missing = Array.from({ length: 119 }, (_, index) => `cloud://env-1a2b.656e-env-1a2b/missing-${index}.txt`)
    const foreign = 'cloud://other-env.6f74-other-env/x.txt'
    const { fileList } = await storage.getTempFileURL({ fileList: [...missing.slice(0, 60), fileID, foreign, ...missing.slice(60)] })
    expect(
      requests
        .filter(({ path }) => path === '/tcb/batchdownloadfile')
        .map(({ body }) => (body as { file_list: unknown[] }).file_list.length),
    ).toEqual([50, 50, 21])
    expect(fileList).toHaveLength(121)
    expect(fileList[60]).toMatchObject({ fileID, status: 0 })
    expect(fileList[61]).toMatchObject({ fileID: foreign, status: -503002, tempFileURL: '' })
    expect(fileList.filter(({ status }) => status === -503003)).toHaveLength(119)

    const deleted = await storage.deleteFile({ fileList: [fileID, missing[0]!, foreign] })
    expect(deleted.fileList.map(({ fileID: id, status }) => [id, status])).toEqual([
      [fileID, 0],
      [missing[0], -503003],
      [foreign, -503002],
    ])
    await expect(storage.downloadFile({ fileID })).rejects.toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
  })

  it('reports COS refusing the upload: a tampered ticket, a file over the size limit', async () => {
    let tamper = true
    const { storage } = await setup({
      maxStorageFileBytes: 1024,
      rewrite(path, answer) {
        if (path === '/tcb/uploadfile' && tamper)
          answer.authorization = String(answer.authorization).replace(/.$/, (last) => (last === '0' ? '1' : '0'))
      },
    })
    await expect(storage.uploadFile({ cloudPath: 'a.bin', fileContent: Buffer.alloc(10) })).rejects.toMatchObject({
      code: 'STORAGE_UPLOAD_FAILED',
      details: { status: 403, cosCode: 'SignatureDoesNotMatch' },
    })
    tamper = false
    await expect(
      storage.uploadFile({ cloudPath: 'big.bin', fileContent: Readable.from([Buffer.alloc(1000), Buffer.alloc(1000)]) }),
    ).rejects.toMatchObject({
      code: 'STORAGE_UPLOAD_FAILED',
      details: { status: 400, cosCode: 'EntityTooLarge' },
    })
    const { fileList } = await storage.getTempFileURL({
      fileList: ['cloud://env-1a2b.656e-env-1a2b/big.bin', 'cloud://env-1a2b.656e-env-1a2b/a.bin'],
    })
    expect(fileList.map(({ status }) => status)).toEqual([-503003, -503003])
    expect(await storage.uploadFile({ cloudPath: 'small.bin', fileContent: Buffer.alloc(1024) })).toMatchObject({ statusCode: 204 })
  })
})
