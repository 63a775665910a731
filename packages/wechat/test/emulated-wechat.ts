import { afterEach } from 'vitest'
import {
  createWeChatApiEmulator,
  type WeChatApiEmulator,
  type WeChatApiEmulatorOptions,
} from '../../dev/src/emulator/wechat/wechat-api-emulator'
import { serve, type Served } from './loopback'

export const APP = { appId: 'wx0000000000000001', appSecret: 'app-secret-0123456789abcdef' } as const

export interface EmulatedWeChat {
  readonly emulator: WeChatApiEmulator
  readonly apiBaseUrl: string
  /** The clock both the emulator and the managers under test read. */
  now(): number
  advance(ms: number): void
}

const running: Served[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

/** The WeChat API emulator on a loopback port with an injected clock, closed after each test. */
export async function startEmulatedWeChat(options: Partial<WeChatApiEmulatorOptions> = {}): Promise<EmulatedWeChat> {
  let time = Date.UTC(2026, 10, 21, 2)
  const now = () => time
  const emulator = createWeChatApiEmulator({ apps: [APP], now, ...options })
  const server = await serve(emulator)
  running.push(server)
  return {
    emulator,
    apiBaseUrl: server.url,
    now,
    advance(ms) {
      time += ms
    },
  }
}
