// The README's demo. Starts the local CloudBase emulator on examples/cloudfunctions and calls the
// tcb:SignUp module the ways a business does, printing who called what, the answer, and every function
// call the emulator ran (including the custom interface the module reached).
//   node examples/demo/index.mjs           runs the transcript and exits 0 (CI runs this)
//   node examples/demo/index.mjs --serve   runs it, then leaves the emulator running until Ctrl-C
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { inspect } from 'node:util'
import tcb from '@cloudbase/node-sdk'
import { PageModule, PageModuleError } from '@page-module/core'
import { startEmulator } from '@page-module/server/emulator'
import { createWxCloudBridge } from '@page-module/server/wx-cloud-bridge'

/**
 * Steps that need packages built on other branches. Switch each on once its branch is merged:
 * - nodeExample: `page-module`'s Node build (@page-module/node) runs examples/node-server against the emulator;
 * - miniProgramExample: @page-module/mp's PageModule over the wx.cloud bridge.
 */
const AFTER_MERGE = { nodeExample: false, miniProgramExample: false }

const root = path.resolve(import.meta.dirname, '../..')
const serve = process.argv.includes('--serve')
const show = (value) => inspect(value, { depth: 4, breakLength: 120, colors: process.stdout.isTTY })

const emulator = await startEmulator({
  functionsDir: path.join(root, 'examples/cloudfunctions'),
  env: 'demo-env',
  log: (line) => console.log(`    ${line}`),
})
let failed = false
try {
  console.log(`PageModule demo — a local CloudBase (env ${emulator.env}) at ${emulator.url}, functions of examples/cloudfunctions\n`)
  await nodeServerWithOfficialSdk()
  await miniProgramUserWithBridge()
  if (AFTER_MERGE.nodeExample) await nodeExample()
  else console.log('\n(after merge: examples/node-server with page-module — switch on AFTER_MERGE.nodeExample)')
  if (AFTER_MERGE.miniProgramExample) await miniProgramExample()
  else console.log('(after merge: the mini-program example with @page-module/mp — switch on AFTER_MERGE.miniProgramExample)')
  console.log('\n✓ demo finished')
} catch (error) {
  failed = true
  console.error('\n✗ demo failed:', error)
} finally {
  if (serve && !failed) await serveUntilStopped()
  await emulator.close()
}
process.exitCode = failed ? 1 : 0

/** A Node server with the env's keys: core's PageModule over the official @cloudbase/node-sdk. */
async function nodeServerWithOfficialSdk() {
  console.log('■ Node server — signed HTTP with secretId/secretKey (official @cloudbase/node-sdk)')
  const app = tcb.init({ env: emulator.env, secretId: emulator.secretId, secretKey: emulator.secretKey, serviceUrl: `${emulator.url}/admin` })
  const signUp = new PageModule('tcb:SignUp', { transport: transportOver('demo:node-sdk', (name, data) => app.callFunction({ name, data }).then(({ result, requestId }) => ({ result, requestId }))) })
  const [dayBefore, yesterday, today] = [-2, -1, 0].map(chinaDay)

  assert.equal((await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: dayBefore })).streak, 1)
  assert.equal((await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: yesterday })).streak, 2)
  const third = await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: today }, { idempotencyKey: `sign-in-u-1001-${today}` })
  assert.deepEqual([third.streak, third.prize.points], [3, 20])
  assert.equal((await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: today })).moduleCode, 1001)
  assert.deepEqual(await step(signUp, 'server', 'getSignInStatus', { userId: 'u-1001', day: today }), { day: today, signedToday: true, streak: 3 })
  assert.equal((await step(signUp, 'server', 'doSignIn', {})).moduleCode, 1002)
}

/** A mini-program user: core's PageModule over wx.cloud.callFunction, here the emulator's wx.cloud bridge. */
async function miniProgramUserWithBridge() {
  console.log('\n■ Mini-program user oDemoUser — wx.cloud.callFunction (the emulator\'s wx.cloud bridge)')
  const wx = { cloud: createWxCloudBridge({ url: emulator.url, openid: 'oDemoUser', appid: 'wxDemoAppId' }) }
  const signUp = new PageModule('tcb:SignUp', { transport: transportOver('demo:wx-cloud', (name, data) => wx.cloud.callFunction({ name, data }).then(({ result, requestID }) => ({ result, requestId: requestID }))) })
  assert.equal((await step(signUp, 'oDemoUser', 'doSignIn', {})).streak, 1)
  // A user cannot sign someone else in: WeChat's openid wins over the data.
  assert.equal((await step(signUp, 'oDemoUser', 'doSignIn', { userId: 'u-1001', day: chinaDay(-5) })).moduleCode, 1001)
  assert.equal((await step(signUp, 'oDemoUser', 'getSignInStatus')).signedToday, true)
}

async function nodeExample() {
  console.log('\n■ examples/node-server — page-module for Node, signed HTTP')
  await run(process.execPath, [path.join(root, 'examples/node-server/index.js'), 'u-2002'], {
    TCB_ENV: emulator.env,
    TENCENTCLOUD_SECRETID: emulator.secretId,
    TENCENTCLOUD_SECRETKEY: emulator.secretKey,
    PAGE_MODULE_SERVICE_URL: `${emulator.url}/admin`,
  })
}

async function miniProgramExample() {
  console.log('\n■ mini-program — @page-module/mp over wx.cloud (the bridge stands in for WeChat)')
  const { PageModule: MiniProgramPageModule } = await import('@page-module/mp')
  const wx = { cloud: createWxCloudBridge({ url: emulator.url, openid: 'oMiniProgramUser', appid: 'wxDemoAppId' }) }
  // The option that injects `wx` is @page-module/mp's; adjust the name here if it differs.
  const signUp = new MiniProgramPageModule('tcb:SignUp', { wx })
  assert.equal((await step(signUp, 'oMiniProgramUser', 'doSignIn', {})).streak, 1)
}

/** One call, printed as caller → module.method data, then the emulator's lines, then the answer. */
async function step(signUp, caller, method, data, options) {
  console.log(`\n  ${caller} → ${signUp.id}.${method} ${data === undefined ? '' : show(data)}`)
  try {
    const answer = await signUp.callMethod(method, data, options)
    console.log(`  ✓ ${show(answer)}`)
    return answer
  } catch (error) {
    if (!PageModuleError.isInstance(error) || error.moduleCode === undefined) throw error
    console.log(`  ✗ code ${error.moduleCode} (${error.code}): ${error.message}`)
    return error
  }
}

/** A transport for core's PageModule over a callFunction(name, data); the real adapters replace it after the merge. */
function transportOver(name, callFunction) {
  return {
    name,
    async send({ functionName, envelope }) {
      try {
        const { result, requestId } = await callFunction(functionName, envelope)
        return { body: result, cloudRequestId: requestId }
      } catch (error) {
        throw new PageModuleError({ code: 'FUNCTION_FAILED', message: error.errMsg ?? error.message, requestSent: true, cause: error })
      }
    },
  }
}

function run(command, args, environment) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.on('data', (chunk) => process.stdout.write(String(chunk).replace(/^(?=.)/gm, '  ')))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args[0]} exited with ${code}`))))
  })
}

function chinaDay(offsetDays) {
  return new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86_400_000).toISOString().slice(0, 10)
}

async function serveUntilStopped() {
  console.log(`\nThe emulator keeps running (Ctrl-C stops it):`)
  console.log(`  serviceUrl ${emulator.url}/admin   env ${emulator.env}`)
  console.log(`  secretId   ${emulator.secretId}`)
  // Generated for this run and valid only against this local emulator.
  console.log(`  secretKey  ${emulator.secretKey}`)
  console.log(emulator.url)
  await new Promise((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
}
