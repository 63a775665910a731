import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import busboy from 'busboy'
import { lookup } from 'mime-types'
import type { EmulatorHandler } from '../emulator-types'
import { COS_UPLOAD_PATH_PREFIX, DOWNLOAD_PATH_PREFIX, type EmulatedStorage, type UploadCredentials } from './emulated-storage'
import { cosBucketOf } from './file-id'
import { StoreRefusal } from './file-store'
import { postResponseXml, sendCosError } from './cos-xml'

/**
 * The COS side of the emulated storage: the form POST of WeChat's upload ticket (and the PUT `@cloudbase/node-sdk`
 * sends), and the temporary download URLs. Everything a ticket or a link grants is checked before a byte is stored or sent.
 */
export function createStorageHttpHandler(storage: EmulatedStorage): EmulatorHandler {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator.invalid')
    if (url.pathname.startsWith(COS_UPLOAD_PATH_PREFIX)) {
      if (request.method === 'POST') await receiveForm(storage, request, response)
      else if (request.method === 'PUT') await receivePut(storage, request, response)
      else sendCosError(response, 405, 'MethodNotAllowed', `${request.method} is not allowed here`, url.pathname)
      return true
    }
    if (url.pathname.startsWith(DOWNLOAD_PATH_PREFIX)) {
      await serveDownload(storage, url, request, response)
      return true
    }
    return false
  }
}

const NOT_MULTIPART = 'The body of your POST request is not well-formed multipart/form-data.'

/** Stores what `source` carries once `credentials` hold; on any refusal the rest of the upload is read and dropped. */
async function storeChecked(
  storage: EmulatedStorage,
  credentials: UploadCredentials,
  source: Readable,
): Promise<{ ok: true; cloudPath: string } | { ok: false; status: number; cosCode: string; message: string }> {
  const check = storage.checkUpload(credentials)
  if (!check.ok) {
    source.resume()
    return { ok: false, status: 403, cosCode: check.cosCode, message: check.message }
  }
  try {
    await storage.files.write(check.cloudPath, source)
    return { ok: true, cloudPath: check.cloudPath }
  } catch (error) {
    if (error instanceof StoreRefusal) return { ok: false, status: 400, cosCode: error.cosCode, message: error.message }
    throw error
  }
}

async function receiveForm(storage: EmulatedStorage, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refuseMalformed = (message: string) => sendCosError(response, 400, 'MalformedPOSTRequest', message, request.url ?? '')
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: request.headers })
  } catch {
    refuseMalformed(NOT_MULTIPART)
    return
  }
  const fields = new Map<string, string>()
  let outcome: Promise<Awaited<ReturnType<typeof storeChecked>>> | undefined
  parser.on('field', (name, value) => {
    if (outcome === undefined) fields.set(name.toLowerCase(), value)
  })
  parser.on('file', (_name, file) => {
    if (outcome !== undefined) {
      file.resume()
      return
    }
    if (!fields.has('key')) {
      file.resume()
      const message = 'the file part must come last, after key, Signature, x-cos-security-token and x-cos-meta-fileid'
      outcome = Promise.resolve({ ok: false, status: 400, cosCode: 'InvalidArgument', message })
      return
    }
    outcome = storeChecked(
      storage,
      {
        key: fields.get('key'),
        signature: fields.get('signature'),
        securityToken: fields.get('x-cos-security-token'),
        cosFileId: fields.get('x-cos-meta-fileid'),
      },
      file,
    )
  })
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve)
    parser.on('error', reject)
  })
  request.pipe(parser)
  try {
    await parsed
  } catch {
    refuseMalformed(NOT_MULTIPART)
    return
  }
  const result = await outcome
  if (result === undefined) {
    refuseMalformed('the form has no file part')
  } else if (!result.ok) {
    sendCosError(response, result.status, result.cosCode, result.message, request.url ?? '')
  } else {
    answerStored(response, fields.get('success_action_status'), storage, result.cloudPath)
  }
}

function answerStored(response: ServerResponse, successStatus: string | undefined, storage: EmulatedStorage, cloudPath: string): void {
  if (successStatus === '201') {
    const location = `${storage.env}/${cloudPath}`
    const body = postResponseXml(location, cosBucketOf(storage.env), cloudPath)
    response.writeHead(201, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) })
    response.end(body)
    return
  }
  response.writeHead(successStatus === '200' ? 200 : 204)
  response.end()
}

async function receivePut(storage: EmulatedStorage, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const header = (name: string) => {
    const value = request.headers[name]
    return typeof value === 'string' ? value : undefined
  }
  const encodedKey = header('key')
  let key: string | undefined
  try {
    key = encodedKey === undefined ? undefined : decodeURIComponent(encodedKey)
  } catch {
    key = undefined
  }
  const ended = new Promise<void>((resolve) => request.once('end', resolve).once('close', resolve))
  const result = await storeChecked(
    storage,
    {
      key,
      signature: header('signature') ?? header('authorization'),
      securityToken: header('x-cos-security-token'),
      cosFileId: header('x-cos-meta-fileid'),
    },
    request,
  )
  await ended
  if (!result.ok) sendCosError(response, result.status, result.cosCode, result.message, request.url ?? '')
  else {
    // COS answers a PUT Object with 200 and no body; `@cloudbase/node-sdk` reads an empty body as success.
    response.writeHead(200, { 'content-length': 0 })
    response.end()
  }
}

async function serveDownload(storage: EmulatedStorage, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendCosError(response, 405, 'MethodNotAllowed', `${request.method} is not allowed here`, url.pathname)
    return
  }
  const [owner, ...segments] = url.pathname.slice(DOWNLOAD_PATH_PREFIX.length).split('/')
  let cloudPath: string
  try {
    cloudPath = segments.map(decodeURIComponent).join('/')
  } catch {
    cloudPath = ''
  }
  if (owner !== `${storage.env}.${storage.bucket}`) {
    sendCosError(response, 403, 'AccessDenied', 'the link is not for this bucket', url.pathname)
    return
  }
  const check = storage.checkDownload(cloudPath, url.searchParams)
  if (!check.ok) {
    sendCosError(response, 403, check.cosCode, check.message, url.pathname)
    return
  }
  const file = await storage.files.read(cloudPath)
  if (file === undefined) {
    sendCosError(response, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname)
    return
  }
  response.writeHead(200, { 'content-type': lookup(cloudPath) || 'application/octet-stream', 'content-length': file.size })
  if (request.method === 'HEAD') {
    response.end()
    return
  }
  const stream = file.stream()
  stream.on('error', () => response.destroy())
  stream.pipe(response)
}
