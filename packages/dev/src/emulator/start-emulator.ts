import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createAdminHandler, type AdminAction } from './cloudbase/admin/admin-handler'
import { createInvokeFunctionAction } from './cloudbase/functions/invoke-function-action'
import { assertEmulatorOptions } from './emulator-options'
import { colorsByDefault, createCallLogFormat, type EmulatorLog } from './call-log'
import { createLocalCredentials, randomToken } from './cloudbase/admin/credentials'
import type { CallerIdentity, EmulatedInvocation, EmulatorCredential, EmulatorHandler } from './emulator-types'
import { createFunctionPool } from './cloudbase/functions/function-pool'
import { sendJson } from './http-json'
import { createWxCloudHandler, type WxCloudDataTransform } from './wx-cloud/wx-cloud-handler'
import { createEmulatedStorage, type EmulatedStorage } from './storage/emulated-storage'
import { createStorageHttpHandler } from './storage/storage-http-handler'
import { createStorageActions } from './cloudbase/storage/storage-actions'
import { createWxCloudStorageHandler } from './wx-cloud/wx-cloud-storage-handler'
import { openDocumentDatabase, type DocumentDatabase } from './database/document-database'
import { createDatabaseActions } from './cloudbase/database/database-actions'
import { listFunctionFolders, missingIndexNote, type FunctionFolderEntry } from './cloudbase/functions/function-folder'
import { watchFunctions, type FunctionsWatcher } from './cloudbase/functions/watch-functions'

export interface EmulatorOptions {
  /** The folder of function folders (`<name>/index.js` exporting `main`). Default `./cloudfunctions`. */
  readonly functionsDir?: string
  /** Default 0: a free port. The emulator listens on 127.0.0.1 only. */
  readonly port?: number
  /** The environment id. Default `local`. */
  readonly env?: string
  /** The key pair callers sign with. Default: generated for this run. */
  readonly secretId?: string
  readonly secretKey?: string
  /** Instances per function at most (each is a process). Default 8. */
  readonly maxInstances?: number
  /** An idle instance stops after this many ms. Default 60 000. */
  readonly idleMs?: number
  /**
   * Seconds an instance may take to start and load `index.js` with its requires, apart from each function's own
   * `timeout` (which counts from the handler's start). Default 65, SCF's default `InitTimeout`.
   */
  readonly initTimeoutSeconds?: number
  /**
   * The emulator's data folder: one subfolder per service (`tmp/<function>` for each function's `/tmp`, and the
   * stored data of the services that keep any). Default: a fresh folder, removed on close.
   */
  readonly dataDir?: string
  /** Receives one line per call and what functions print. Default `console.log`. */
  readonly log?: EmulatorLog
  /** Color the lines. Default: when the default log writes to a terminal. */
  readonly colors?: boolean
  /** The clock, seconds since the epoch; for tests of the signature window. */
  readonly nowSeconds?: () => number
  /** The largest file cloud storage takes, in bytes. Default 100 MiB. */
  readonly maxStorageFileBytes?: number
  /**
   * Watch `functionsDir`: a file edited, added or removed under `<name>/` replaces that function's instances (idle ones
   * stop at once, busy ones finish their call), so the next call runs the new code. Default false; `page-module dev` sets it.
   */
  readonly watch?: boolean
}

export interface Emulator {
  /** `http://127.0.0.1:<port>`; the official SDKs take `serviceUrl: url + '/admin'`. */
  readonly url: string
  readonly env: string
  readonly secretId: string
  readonly secretKey: string
  readonly functionsDir: string
  /** The data folder; a service keeps its files in a subfolder named after it. */
  readonly dataDir: string
  /** The document database (`<dataDir>/database`) behind `/tcb/database*` and `/admin` `database.*`; `seed`, `read`, `clear` for tests. */
  readonly database: DocumentDatabase
  /** The folders of `functionsDir` now, by name; one without `index.js` cannot be called. */
  listFunctions(): FunctionFolderEntry[]
  /** Logs one line for a request a service refused: what was asked (`GET /cgi-bin/token`) and why, with no secret. */
  logRefusal(request: string, reason: string): void
  /** Whether edits to the functions reload them (the `watch` option). */
  readonly watching: boolean
  /** Runs a function as `identity` (no openid: a server), as the WeChat endpoints need. */
  invokeFunction(functionName: string, event: unknown, identity?: CallerIdentity): Promise<EmulatedInvocation>
  /** Adds a route, tried after the built-in ones (`/admin` and the wx.cloud bridge). */
  mount(handler: EmulatorHandler): void
  /** Serves a CloudBase `/admin` action (signature, session token and env already checked). One name, one action. */
  mountAdminAction(name: string, action: AdminAction): void
  /** Cloud storage: files under `<dataDir>/storage/<env>`, served to `/admin`, WeChat's `tcb/*` and COS-like URLs. */
  readonly storage: EmulatedStorage
  /** Rewrites the data of each wx.cloud bridge `callFunction` before the function runs (the open APIs replace CloudIDs). */
  transformWxCloudData(transform: WxCloudDataTransform): void
  /** Stops the server and every function instance. */
  close(): Promise<void>
}

const WX_CONTEXT_KEYS = 'WX_CLIENTIP,WX_CLIENTIPV6,WX_APPID,WX_OPENID,WX_UNIONID,WX_API_TOKEN'
const TCB_CONTEXT_KEYS = 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_SOURCE'

/**
 * Starts a local CloudBase: `POST /admin` (signature verified as the cloud does), the wx.cloud bridge
 * route, and every function folder of `functionsDir` in processes of its own.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const env = options.env ?? 'local'
  const functionsDir = path.resolve(options.functionsDir ?? 'cloudfunctions')
  assertEmulatorOptions(options, functionsDir)
  const generated = options.secretId === undefined || options.secretKey === undefined ? createLocalCredentials() : undefined
  const secretId = options.secretId ?? generated!.secretId
  const secretKey = options.secretKey ?? generated!.secretKey
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  const log = options.log ?? ((line: string) => console.log(line))
  const format = createCallLogFormat(options.colors ?? colorsByDefault(options.log !== undefined))
  const ownsDataDir = options.dataDir === undefined
  // Absolute: functions run with their own folder as working directory, and their TMPDIR lives in here.
  const dataDir = path.resolve(options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'page-module-emulator-')))
  const database = openDocumentDatabase(path.join(dataDir, 'database'))

  const credentials = new Map<string, EmulatorCredential>([[secretId, { secretKey }]])
  const functionCredentials = new Map<string, { secretId: string; secretKey: string; sessionToken: string }>()
  const identitiesByApiToken = new Map<string, CallerIdentity>()
  const handlers: EmulatorHandler[] = []
  let url = ''

  function credentialsOfFunction(functionName: string) {
    let credential = functionCredentials.get(functionName)
    if (!credential) {
      credential = { ...createLocalCredentials(), sessionToken: randomToken(24) }
      functionCredentials.set(functionName, credential)
      credentials.set(credential.secretId, { secretKey: credential.secretKey, functionName, sessionToken: credential.sessionToken })
    }
    return credential
  }

  const pool = createFunctionPool({
    functionsDir,
    maxInstances: options.maxInstances ?? 8,
    idleMs: options.idleMs ?? 60_000,
    ...(options.initTimeoutSeconds === undefined ? {} : { initTimeoutSeconds: options.initTimeoutSeconds }),
    output: (functionName, line) => log(format.output(functionName, line)),
    instanceEnvironment(functionName, config) {
      const own = credentialsOfFunction(functionName)
      const functionTmp = path.join(dataDir, 'tmp', functionName)
      mkdirSync(functionTmp, { recursive: true })
      return {
        PATH: process.env.PATH ?? '',
        TMPDIR: functionTmp,
        TENCENTCLOUD_RUNENV: 'SCF',
        // SCF always sets a region; without one the SDKs log an error on every call.
        TENCENTCLOUD_REGION: 'ap-shanghai',
        SCF_RUNTIME: `Nodejs${process.versions.node.split('.')[0]}`,
        SCF_FUNCTIONNAME: functionName,
        SCF_FUNCTIONVERSION: '$LATEST',
        SCF_NAMESPACE: env,
        TCB_ENV: env,
        TENCENTCLOUD_SECRETID: own.secretId,
        TENCENTCLOUD_SECRETKEY: own.secretKey,
        TENCENTCLOUD_SESSIONTOKEN: own.sessionToken,
        TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
        ...config.environment,
      }
    },
  })

  async function invoke(
    functionName: string,
    event: unknown,
    identity: CallerIdentity,
    via: string | undefined,
  ): Promise<EmulatedInvocation> {
    const requestId = randomUUID()
    const apiToken = randomToken()
    identitiesByApiToken.set(apiToken, identity)
    const started = performance.now()
    const outcome = await pool
      .invoke({
        functionName,
        event,
        context: {
          request_id: requestId,
          function_name: functionName,
          function_version: '$LATEST',
          namespace: env,
          memory_limit_in_mb: 256,
        },
        environment: invocationEnvironment(identity, apiToken, requestId),
      })
      .finally(() => identitiesByApiToken.delete(apiToken))
    const milliseconds = Math.round(performance.now() - started)
    const caller = identity.openid ? (via ? `${identity.openid} via fn:${via}` : identity.openid) : via ? `fn:${via}` : 'server'
    const note = outcome.ok || outcome.reason !== 'not-found' ? undefined : missingIndexNote(functionsDir, functionName)
    log(format.call({ functionName, event, caller, outcome, milliseconds, ...(note === undefined ? {} : { note }) }))
    return { ...outcome, requestId }
  }

  function invocationEnvironment(identity: CallerIdentity, apiToken: string, requestId: string): Record<string, string> {
    const environment: Record<string, string> = {
      WX_CONTEXT_KEYS,
      WX_API_TOKEN: apiToken,
      WX_CLIENTIP: '127.0.0.1',
      TCB_CONTEXT_KEYS,
      TCB_ENV: env,
      TCB_SEQID: requestId,
      TRIGGER_SRC: 'tcb',
    }
    if (identity.openid) environment.WX_OPENID = identity.openid
    if (identity.appid) environment.WX_APPID = identity.appid
    if (identity.unionid) environment.WX_UNIONID = identity.unionid
    if (identity.source) environment.TCB_SOURCE = identity.source
    return environment
  }

  const invokeAs = (functionName: string, event: unknown, identity: CallerIdentity = {}) => invoke(functionName, event, identity, undefined)
  const wxCloudDataTransforms: WxCloudDataTransform[] = []
  const adminActions = new Map<string, AdminAction>([['functions.invokeFunction', createInvokeFunctionAction(invoke)]])
  const storage = createEmulatedStorage({
    env,
    dataDir,
    baseUrl: () => url,
    nowSeconds,
    ...(options.maxStorageFileBytes === undefined ? {} : { maxFileBytes: options.maxStorageFileBytes }),
  })
  for (const [name, action] of createStorageActions(storage)) adminActions.set(name, action)
  for (const [name, action] of createDatabaseActions(database)) adminActions.set(name, action)
  const refused = (request: string, reason: string) => log(format.refused(request, reason))
  const builtIn: EmulatorHandler[] = [
    createAdminHandler({
      env,
      credentialOf: (id) => credentials.get(id),
      identityOfApiToken: (token) => identitiesByApiToken.get(token),
      actions: adminActions,
      nowSeconds,
      requestId: randomUUID,
      refused,
    }),
    createWxCloudHandler({ env, invoke: invokeAs, transforms: wxCloudDataTransforms, refused }),
    createStorageHttpHandler(storage),
    createWxCloudStorageHandler({ storage }),
  ]

  const server = createServer((request, response) => void route(request, response))
  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      for (const handler of [...builtIn, ...handlers]) if (await handler(request, response)) return
      sendJson(response, 404, { code: 'NOT_FOUND', message: `${request.method} ${request.url} is not emulated` })
    } catch (error) {
      // HTTP 200 even here, as CloudBase answers every /admin request.
      if (!response.headersSent) sendJson(response, 200, { code: 'SYS_ERR', message: (error as Error).message, requestId: randomUUID() })
      else response.destroy()
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  for (const folder of listFunctionFolders(functionsDir)) {
    if (!folder.hasIndex)
      log(format.notice(`${folder.name}/ has no index.js — calls to ${folder.name} fail until it has one exporting main`))
  }
  let watcher: FunctionsWatcher | undefined
  if (options.watch === true) {
    watcher = await watchFunctions({
      functionsDir,
      changed(functionName, file) {
        pool.replace(functionName)
        log(format.notice(`${functionName}: ${file} changed — its next call runs the new code`))
      },
      added(functionName) {
        log(format.notice(`new function folder ${functionName}/ — callable once it has index.js, no restart needed`))
      },
    }).catch(async (error: unknown) => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      throw error
    })
  }

  let closing: Promise<void> | undefined
  return {
    url,
    env,
    secretId,
    secretKey,
    functionsDir,
    dataDir,
    database,
    invokeFunction: invokeAs,
    listFunctions: () => listFunctionFolders(functionsDir),
    logRefusal: refused,
    watching: watcher !== undefined,
    storage,
    mount(handler) {
      handlers.push(handler)
    },
    mountAdminAction(name, action) {
      if (adminActions.has(name)) throw new Error(`the /admin action ${name} is already served`)
      adminActions.set(name, action)
    },
    transformWxCloudData(transform) {
      wxCloudDataTransforms.push(transform)
    },
    close() {
      closing ??= (async () => {
        await watcher?.close()
        await pool.close()
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true })
      })()
      return closing
    },
  }
}
