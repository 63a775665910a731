import { rmSync } from 'node:fs'
import { mountWeChatApi, type WeChatApiMountOptions } from '../emulator/wechat/mount-wechat-api'
import { mountOpenApi } from '../emulator/wechat/openapi/mount-open-api'
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/start-emulator'

export interface DevOptions extends EmulatorOptions, WeChatApiMountOptions {
  /** Where the banner goes. Default `console.log`. */
  readonly print?: (line: string) => void
  /** Resolves when the emulator should stop. Default: Ctrl-C (SIGINT) or SIGTERM. */
  readonly until?: (emulator: Emulator) => Promise<void>
  /** Empties the data folder (`dataDir`) before starting. */
  readonly reset?: boolean
}

/** `page-module dev`: starts the emulator, prints where it is and how to reach it, stops cleanly. */
export async function runDev(options: DevOptions = {}): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line))
  if (options.reset === true && options.dataDir !== undefined) rmSync(options.dataDir, { recursive: true, force: true })
  const emulator = await startEmulator({ ...options, watch: options.watch ?? true })
  const wechat = mountWeChatApi(emulator, options)
  mountOpenApi(emulator, wechat)
  const generated = options.secretKey === undefined
  print(`PageModule emulator — env ${emulator.env}, functions ${emulator.functionsDir}`)
  const folders = emulator.listFunctions()
  const runnable = folders.filter((folder) => folder.hasIndex).map((folder) => folder.name)
  const withoutIndex = folders.filter((folder) => !folder.hasIndex).map((folder) => `${folder.name}/`)
  print(`  functions   ${runnable.length === 0 ? '(none yet)' : runnable.join(', ')}`)
  if (withoutIndex.length > 0) print(`  no index.js ${withoutIndex.join(', ')}   (not callable until each has one)`)
  print(
    emulator.watching
      ? '  reload      on: an edited, added or removed file under a function folder gives its next call the new code'
      : '  reload      off: restart to run edited code',
  )
  print(`  serviceUrl  ${emulator.url}/admin`)
  print(`  secretId    ${emulator.secretId}`)
  // Local credentials made for this run only: printed once so a client can be pointed at the emulator.
  if (generated) print(`  secretKey   ${emulator.secretKey}   (generated for this run; valid only here)`)
  print(`  WeChat API  apiBaseUrl ${wechat.apiBaseUrl} (/cgi-bin/token, /cgi-bin/stable_token, /tcb/invokecloudfunction)`)
  print(`  storage     files under ${emulator.dataDir}/storage; /tcb/uploadfile, /tcb/batchdownloadfile, /tcb/batchdeletefile`)
  print(`  appId       ${wechat.appId}`)
  if (options.appSecret === undefined) print(`  appSecret   ${wechat.appSecret}   (generated for this run; valid only here)`)
  print(`  database    ${emulator.database.folder} (/tcb/database*, /admin database.*)`)
  print(`  wx.cloud bridge: createWxCloudBridge({ url: '${emulator.url}', openid, appid }) from @page-module/dev/wx-cloud-bridge`)
  print(emulator.url)
  await (options.until ?? waitForSignal)(emulator)
  await emulator.close()
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
