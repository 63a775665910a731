import path from 'node:path'
import { startEmulator, type Emulator } from '@page-module/dev'
import { createWxCloudBridge, type WxCloudBridge } from '@page-module/dev/wx-cloud-bridge'

const functionsDir = path.resolve(import.meta.dirname, '../../../examples/cloudfunctions')

export interface SignUpCloud {
  /** A `wx.cloud` whose calls reach the emulator as this mini-program user (each test takes its own user). */
  wxCloudFor(openid: string): WxCloudBridge
  /** The emulator's lines, one per function call: the module's and the custom interface's it reached. */
  readonly log: readonly string[]
  close(): Promise<void>
}

/**
 * The `wx.cloud` the example tests run against: the local emulator running the real examples/cloudfunctions — the
 * tcb:SignUp module (@page-module/host's defineModule) and the business's custom interface sendPrize.
 */
export async function startSignUpCloud(): Promise<SignUpCloud> {
  const log: string[] = []
  const emulator: Emulator = await startEmulator({ functionsDir, env: 'simulate-env', log: (line) => log.push(line) })
  return {
    wxCloudFor: (openid) => createWxCloudBridge({ url: emulator.url, openid, appid: 'wxSimulateAppId' }),
    log,
    close: () => emulator.close(),
  }
}
