import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'

// custom-api-prizes is routed by the built @page-module/host (its api/sendPrize.js throws).
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
const lines: string[] = []
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, log: (line) => lines.push(line) })
})
afterAll(() => emulator.close())

const customApiCall = (name: string) => ({ pageModuleCustomApi: 1, module: 'tcb:Prizes', name, data: {}, requestId: `r-${name}` })

describe('the call line of a failing custom interface', () => {
  it("shows the router's message after -2, not the code alone", async () => {
    const outcome = await emulator.invokeFunction('custom-api-prizes', customApiCall('sendPrize'))
    expect(outcome).toMatchObject({ ok: true, result: { code: -2 } })
    const line = lines.find((logged) => logged.startsWith('custom-api-prizes/sendPrize ← server'))
    expect(line).toMatch(/^custom-api-prizes\/sendPrize ← server {2}-2 调用接口实现异常：the prize pool is empty {2}\d+ ms$/)
  })

  it('shows why -1 (no such interface)', async () => {
    const outcome = await emulator.invokeFunction('custom-api-prizes', customApiCall('getUser'))
    const { msg } = (outcome as { result: { code: number; msg: string } }).result
    expect(outcome).toMatchObject({ ok: true, result: { code: -1 } })
    const line = lines.find((logged) => logged.startsWith('custom-api-prizes/getUser ← server'))
    expect(line).toContain(`  -1 ${msg}  `)
  })
})
