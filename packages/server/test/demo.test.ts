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
  it('runs the module and its custom interface through the official node-sdk and the wx.cloud bridge, and exits 0', async () => {
    const { code, output } = await runDemo()
    expect(output).toContain('✓ demo finished')
    expect(code).toBe(0)
    expect(output).toMatch(/tcb-SignUp-api\/sendPrize ← fn:tcb-SignUp {2}0 {2}\d+ ms/)
    expect(output).toMatch(/tcb-SignUp-api\/sendPrize ← oDemoUser via fn:tcb-SignUp {2}0 {2}\d+ ms/)
    expect(output).toMatch(/tcb:SignUp\.doSignIn ← server {2}1001/)
    expect(output).not.toContain('[TCB][ERROR]')
  }, 60_000)
})
