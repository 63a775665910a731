import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../start-emulator'
import { createEmulatedStorage } from './emulated-storage'

const functionsDir = path.resolve(import.meta.dirname, '../../../test/fixtures/cloudfunctions')
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** The emulator on a clock the test moves. */
async function setup(options: { maxStorageFileBytes?: number } = {}) {
  let now = 1_800_000_000
  const dataDir = mkdtempSync(path.join(tmpdir(), 'storage-test-'))
  const emulator: Emulator = await startEmulator({ functionsDir, dataDir, log: () => undefined, nowSeconds: () => now, ...options })
  cleanups.push(async () => {
    await emulator.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    emulator,
    dataDir,
    advance(seconds: number) {
      now += seconds
    },
  }
}

function form(fields: Record<string, string>, file?: { name: string; bytes: string }, fileFirst = false): FormData {
  const body = new FormData()
  if (file && fileFirst) body.append('file', new Blob([file.bytes]), file.name)
  for (const [name, value] of Object.entries(fields)) body.append(name, value)
  if (file && !fileFirst) body.append('file', new Blob([file.bytes]), file.name)
  return body
}

async function ticketFields(emulator: Emulator, cloudPath: string) {
  const issued = emulator.storage.issueUploadTicket(cloudPath)
  if (!issued.ok) throw new Error(issued.message)
  const { ticket } = issued
  return {
    url: ticket.url,
    fileId: ticket.fileId,
    fields: {
      key: cloudPath,
      Signature: ticket.authorization,
      'x-cos-security-token': ticket.token,
      'x-cos-meta-fileid': ticket.cosFileId,
    },
  }
}

async function cosError(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1]
}

describe('the emulated COS upload endpoint', () => {
  it('stores the file of a form POST under dataDir/storage and answers 204, or 201 with XML when asked', async () => {
    const { emulator, dataDir } = await setup()
    const first = await ticketFields(emulator, 'docs/a.txt')
    const answered = await fetch(first.url, { method: 'POST', body: form(first.fields, { name: 'a.txt', bytes: 'first' }) })
    expect(answered.status).toBe(204)
    expect(readdirSync(path.join(dataDir, 'storage', 'local', 'files', 'docs'))).toEqual(['a.txt'])

    const second = await ticketFields(emulator, 'docs/b.txt')
    const created = await fetch(second.url, {
      method: 'POST',
      body: form({ ...second.fields, success_action_status: '201' }, { name: 'b.txt', bytes: 'second' }),
    })
    expect(created.status).toBe(201)
    expect(await created.text()).toContain('<Key>docs/b.txt</Key>')
  })

  it('refuses a tampered signature, an unknown token, another key, an expired ticket and a file that is not last', async () => {
    const { emulator, advance } = await setup()
    const { url, fields } = await ticketFields(emulator, 'x/y.txt')
    const file = { name: 'y.txt', bytes: 'data' }
    const post = (body: FormData) => fetch(url, { method: 'POST', body })
    const tampered = fields.Signature.replace(/q-signature=(.)/, (_, first: string) => `q-signature=${first === 'a' ? 'b' : 'a'}`)
    expect(await cosError(await post(form({ ...fields, Signature: tampered }, file)))).toBe('SignatureDoesNotMatch')
    expect(await cosError(await post(form({ ...fields, 'x-cos-security-token': 'f'.repeat(48) }, file)))).toBe('InvalidAccessKeyId')
    expect(await cosError(await post(form({ ...fields, key: 'x/other.txt' }, file)))).toBe('AccessDenied')
    expect(await cosError(await post(form({ ...fields, 'x-cos-meta-fileid': 'forged' }, file)))).toBe('AccessDenied')
    expect(await cosError(await post(form(fields, file, true)))).toBe('InvalidArgument')
    advance(901)
    const expired = await post(form(fields, file))
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('Request has expired')
    expect(await emulator.storage.files.read('x/y.txt')).toBeUndefined()
  })

  it('takes the PUT of @cloudbase/node-sdk with the ticket in headers, and enforces the size limit, leaving nothing behind', async () => {
    const { emulator, dataDir } = await setup({ maxStorageFileBytes: 10 })
    const { url, fields } = await ticketFields(emulator, '图片/a b.bin')
    const headers = {
      Signature: fields.Signature,
      'x-cos-security-token': fields['x-cos-security-token'],
      'x-cos-meta-fileid': fields['x-cos-meta-fileid'],
      key: encodeURIComponent('图片/a b.bin'),
    }
    const put = await fetch(url, { method: 'PUT', headers, body: Buffer.from('0123456789') })
    expect(put.status).toBe(200)
    expect(await put.text()).toBe('')
    const tooBig = await fetch(url, { method: 'PUT', headers, body: Buffer.from('0123456789A') })
    expect(tooBig.status).toBe(400)
    expect(await cosError(tooBig)).toBe('EntityTooLarge')
    expect((await emulator.storage.files.read('图片/a b.bin'))?.size).toBe(10)
    expect(readdirSync(path.join(dataDir, 'storage', 'local', 'uploads'))).toEqual([])
  })
})

describe('temporary URLs', () => {
  it('serve the file until max_age passes; a tampered or expired link is refused', async () => {
    const { emulator, advance } = await setup()
    const fileID = await emulator.storage.store('pics/中文 名.png', Readable.from([Buffer.from('png-bytes')]))
    const link = await emulator.storage.temporaryUrl(fileID, 60)
    if (!('tempFileURL' in link)) throw new Error(link.message)
    // The official SDKs encodeURI the link; fetch encodes it alike.
    const served = await fetch(encodeURI(link.tempFileURL))
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(await served.text()).toBe('png-bytes')

    const url = new URL(link.tempFileURL)
    const longer = new URL(url)
    longer.searchParams.set('t', String(Number(url.searchParams.get('t')) + 3600))
    expect(await cosError(await fetch(longer))).toBe('SignatureDoesNotMatch')
    const otherFile = new URL(url.href.replace('pics/', 'pics2/'))
    expect((await fetch(otherFile)).status).toBe(403)
    advance(61)
    const expired = await fetch(url)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('Request has expired')
  })

  it('never reach outside the storage folder, whatever the file ID says', async () => {
    const { emulator, dataDir } = await setup()
    await emulator.storage.store('inside.txt', Readable.from([Buffer.from('x')]))
    const bucket = emulator.storage.bucket
    for (const cloudPath of ['../../../etc/passwd', 'a/../../inside.txt', '/etc/passwd', '..', 'a/./b']) {
      const fileID = `cloud://local.${bucket}/${cloudPath}`
      expect(await emulator.storage.temporaryUrl(fileID)).toMatchObject({
        code: expect.stringMatching(/STORAGE_FILE_NONEXIST|INVALID_PARAM/),
      })
      expect(await emulator.storage.deleteFile(fileID)).toMatchObject({
        code: expect.stringMatching(/STORAGE_FILE_NONEXIST|INVALID_PARAM/),
      })
    }
    expect(emulator.storage.issueUploadTicket('../outside.txt')).toMatchObject({ ok: false, code: 'INVALID_PARAM' })
    await expect(emulator.storage.store('../outside.txt', Readable.from([Buffer.from('x')]))).rejects.toThrow(/not a valid cloudPath/)
    expect(existsSync(path.join(dataDir, 'outside.txt'))).toBe(false)
    expect(existsSync(path.join(dataDir, 'storage', 'local', 'files', 'inside.txt'))).toBe(true)
    // A download path that climbs out is refused before the disk is touched.
    const link = await emulator.storage.temporaryUrl(`cloud://local.${bucket}/inside.txt`)
    if (!('tempFileURL' in link)) throw new Error(link.message)
    const climbing = link.tempFileURL.replace('inside.txt', '..%2F..%2F..%2Fstorage%2Flocal%2Ffiles%2Finside.txt')
    expect((await fetch(climbing)).status).toBe(403)
  })

  it('answer STORAGE_EXCEED_AUTHORITY for another env and STORAGE_FILE_NONEXIST for an unknown file', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'storage-unit-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const storage = createEmulatedStorage({ env: 'test2-4a89da', dataDir, baseUrl: () => 'http://127.0.0.1:1', nowSeconds: () => 0 })
    // The bucket shape of the documented example `cloud://test2-4a89da.7465-test2-4a89da/A.png`.
    expect(storage.bucket).toBe('7465-test2-4a89da')
    expect(await storage.temporaryUrl('cloud://test2-4a89da.7465-test2-4a89da/A.png')).toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
    expect(await storage.temporaryUrl('cloud://prod-9z.7072-prod-9z/A.png')).toMatchObject({ code: 'STORAGE_EXCEED_AUTHORITY' })
    expect(await storage.deleteFile('not-a-file-id')).toMatchObject({ code: 'INVALID_PARAM' })
  })
})
