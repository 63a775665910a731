import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// The README's demo, as CI runs it: `verify` builds first, then this runs the orchestrator on the built packages.
const root = path.resolve(import.meta.dirname, '../../..')

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'examples/demo/index.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += String(chunk)))
    child.stderr.on('data', (chunk) => (output += String(chunk)))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe('the demo', () => {
  it("calls the module from Node (signed HTTP, WeChat API, require('page-module')) and the mini-program (@page-module/mp, the example page), each reaching sendPrize, and exits 0", async () => {
    const { code, output } = await runDemo()
    expect(output).toContain('✓ demo finished')
    expect(code).toBe(0)
    // @page-module/node with secretId/secretKey: the module, then the custom interface it reached.
    expect(output).toMatch(
      /server → tcb:SignUp\.doSignIn \{ userId: 'u-1001'.*\n {4}tcb-SignUp-api\/sendPrize ← fn:tcb-SignUp {2}0 {2}\d+ ms\n {4}tcb:SignUp\.doSignIn ← server {2}0 /,
    )
    expect(output).toMatch(/tcb:SignUp\.doSignIn ← server {2}1001/)
    // @page-module/node with appId/appSecret: a revoked token is refreshed once.
    expect(output).toContain('WeChat side: 2 stable_token requests, 1 call refused for its token, 2 calls that reached the function')
    // @page-module/mp over the wx.cloud bridge: WeChat's openid reaches the custom interface.
    expect(output).toMatch(/tcb-SignUp-api\/sendPrize ← oDemoUser via fn:tcb-SignUp {2}0 {2}\d+ ms/)
    // The same user calling the custom-interface function directly is refused, and sendPrize does not run.
    expect(output).toMatch(
      /tcb-SignUp-api\/sendPrize ← oDemoUser {2}-7 custom interfaces run only for the module's cloud function, .* {2}\d+ ms/,
    )
    expect(output).toContain('✗ code -7: custom interfaces run only for the module\'s cloud function, not for a call from "wx_client"')
    // examples/node-server: require('page-module').
    expect(output).toMatch(/doSignIn u-2002 → streak 1, prize \{"code":0,"msg":"suc","user":"u-2002",.*"points":10\}/)
    // examples/miniprogram: the page and the card, page-module's mini-program build over the bridge.
    expect(output).toMatch(/tcb-SignUp-api\/sendPrize ← oMiniProgramUser via fn:tcb-SignUp {2}0 {2}\d+ ms/)
    expect(output).toContain('page shows: 签到成功，连续 1 天，获得 10 积分')
    expect(output).toMatch(/card shows: \[tcb:SignUp\.doSignIn\] \S+: the module answered code 1001: already signed in on/)
    // @page-module/wechat/storage: the server uploads an image; tcb:Gallery (wx-server-sdk) links to the same bytes.
    expect(output).toMatch(/server uploaded gallery\/pixel\.png \(\d+ bytes\) → cloud:\/\/demo-env\.\S+\/gallery\/pixel\.png/)
    expect(output).toMatch(
      /tcb:Gallery\.getImageUrl → http:\/\/127\.0\.0\.1:\d+\/\S+\/gallery\/pixel\.png\?sign=… \(valid 600 s\) serves \d+ bytes of image\/png/,
    )
  }, 60_000)
})
