// The README's demo. Starts the local emulator (CloudBase and WeChat's HTTP API) on examples/cloudfunctions and
// calls the tcb:SignUp module the ways a business does, printing who called what, the answer, and every function
// call the emulator ran (including the custom interface sendPrize the module reached).
//   node examples/demo/index.mjs           runs the transcript and exits 0 (CI runs this)
//   node examples/demo/index.mjs --serve   runs it, then leaves the emulator running until Ctrl-C
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { inspect } from 'node:util'
import { PageModule as MiniProgramPageModule } from '@page-module/mp'
import { isPageModuleError, PageModule } from '@page-module/node'
import { mountWeChatApi, startEmulator } from '@page-module/dev'
import { createWxCloudBridge } from '@page-module/dev/wx-cloud-bridge'
import { createCloudStorage } from '@page-module/wechat/storage'
import { createCloudDatabase } from '@page-module/wechat/database'
import { attachInstance, createMiniprogramRuntime } from '@page-module/tooling-miniprogram-runtime'

const root = path.resolve(import.meta.dirname, '../..')
const serve = process.argv.includes('--serve')
const show = (value) => inspect(value, { depth: 4, breakLength: Infinity, colors: process.stdout.isTTY })

const emulator = await startEmulator({
  functionsDir: path.join(root, 'examples/cloudfunctions'),
  env: 'demo-env',
  log: (line) => console.log(`    ${line}`),
})
const wechat = mountWeChatApi(emulator)
let failed = false
try {
  console.log(
    `PageModule demo — a local CloudBase (env ${emulator.env}) and WeChat API at ${emulator.url}, functions of examples/cloudfunctions`,
  )
  await nodeServerWithKeys()
  await nodeServerWithWeChatApi()
  await miniProgramUser()
  await nodeServerReadsDatabase()
  await nodeExample()
  await miniProgramExample()
  await nodeServerStoresImage()
  console.log('\n✓ demo finished')
} catch (error) {
  failed = true
  console.error('\n✗ demo failed:', error)
} finally {
  if (serve && !failed) await serveUntilStopped()
  await emulator.close()
}
process.exitCode = failed ? 1 : 0

/** A Node server with the env's keys: @page-module/node, CloudBase signed HTTP. */
async function nodeServerWithKeys() {
  console.log('\n■ Node server — @page-module/node, CloudBase signed HTTP with secretId/secretKey')
  const signUp = new PageModule('tcb:SignUp', {
    secretId: emulator.secretId,
    secretKey: emulator.secretKey,
    env: emulator.env,
    serviceUrl: `${emulator.url}/admin`,
  })
  const [dayBefore, yesterday, today] = [-2, -1, 0].map(chinaDay)

  assert.equal((await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: dayBefore })).streak, 1)
  assert.equal((await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: yesterday })).streak, 2)
  const third = await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: today }, { idempotencyKey: `sign-in-u-1001-${today}` })
  assert.deepEqual([third.streak, third.prize.points], [3, 20])
  assert.equal((await step(signUp, 'server', 'doSignIn', { userId: 'u-1001', day: today })).moduleCode, 1001)
  assert.deepEqual(await step(signUp, 'server', 'getSignInStatus', { userId: 'u-1001', day: today }), {
    day: today,
    signedToday: true,
    streak: 3,
  })
  assert.equal((await step(signUp, 'server', 'doSignIn', {})).moduleCode, 1002)
}

/** A Node server with the mini-program's AppID/AppSecret: WeChat's tcb/invokecloudfunction with an access_token. */
async function nodeServerWithWeChatApi() {
  console.log(`\n■ Node server — @page-module/node, WeChat HTTP API with appId ${wechat.appId}/appSecret (stable access_token)`)
  const signUp = new PageModule('tcb:SignUp', {
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    env: emulator.env,
    apiBaseUrl: wechat.apiBaseUrl,
  })
  assert.equal((await step(signUp, 'server (WeChat API)', 'doSignIn', { userId: 'u-3003' })).streak, 1)
  wechat.wechat.revokeTokens(wechat.appId)
  console.log('\n  (WeChat revokes every access_token of the app: the next call is refused with 40001, refreshes once and succeeds)')
  assert.equal((await step(signUp, 'server (WeChat API)', 'getSignInStatus', { userId: 'u-3003' })).signedToday, true)
  const { counters } = wechat.wechat
  console.log(
    `  WeChat side: ${counters.stableTokenRequests} stable_token requests, ${counters.rejectedTokens} call refused for its token, ` +
      `${counters.invocations} calls that reached the function`,
  )
  assert.deepEqual([counters.stableTokenRequests, counters.rejectedTokens, counters.invocations], [2, 1, 2])
}

/** A mini-program user: @page-module/mp's PageModule over wx.cloud.callFunction, here the emulator's wx.cloud bridge. */
async function miniProgramUser() {
  console.log("\n■ Mini-program user oDemoUser — @page-module/mp over wx.cloud.callFunction (the emulator's wx.cloud bridge)")
  const wx = { cloud: createWxCloudBridge({ url: emulator.url, openid: 'oDemoUser', appid: wechat.appId }) }
  const signUp = new MiniProgramPageModule('tcb:SignUp', { wx })
  assert.equal((await step(signUp, 'oDemoUser', 'doSignIn', {})).streak, 1)
  // A user cannot sign someone else in: WeChat's openid wins over the data.
  assert.equal((await step(signUp, 'oDemoUser', 'doSignIn', { userId: 'u-1001', day: chinaDay(-5) })).moduleCode, 1001)
  assert.equal((await step(signUp, 'oDemoUser', 'getSignInStatus')).signedToday, true)
  // Calling the business's custom-interface function directly would skip the module's rules: it refuses and runs nothing.
  console.log('\n  oDemoUser → tcb-SignUp-api directly (sendPrize with streak 99)')
  const { result } = await wx.cloud.callFunction({
    name: 'tcb-SignUp-api',
    data: {
      pageModuleCustomApi: 1,
      module: 'tcb:SignUp',
      name: 'sendPrize',
      data: { openid: 'oDemoUser', streak: 99 },
      requestId: 'direct',
    },
  })
  console.log(`  ✗ code ${result.code}: ${result.msg}`)
  assert.equal(result.code, -7)
}

/** The module wrote each sign-in with cloud.database(); a Node server reads them over WeChat's HTTP API. */
async function nodeServerReadsDatabase() {
  console.log("\n■ Node server — @page-module/wechat/database over WeChat's tcb/databasequery, reading what the module stored")
  const db = createCloudDatabase({ env: emulator.env, appId: wechat.appId, appSecret: wechat.appSecret }, { apiBaseUrl: wechat.apiBaseUrl })
  const _ = db.command
  const { data } = await db
    .collection('sign_ins')
    .where({ user: _.in(['u-1001', 'oDemoUser']) })
    .orderBy('user', 'asc')
    .orderBy('day', 'asc')
    .field({ user: true, day: true, streak: true })
    .get()
  for (const record of data) console.log(`  ${record.user} signed in on ${record.day}, streak ${record.streak}`)
  assert.deepEqual(
    data.map((record) => [record.user, record.streak]),
    [
      ['oDemoUser', 1],
      ['u-1001', 1],
      ['u-1001', 2],
      ['u-1001', 3],
    ],
  )
  const { total } = await db.collection('sign_ins').count()
  console.log(`  sign_ins holds ${total} records`)
}

async function nodeExample() {
  console.log("\n■ examples/node-server — require('page-module') in Node, signed HTTP")
  await run(process.execPath, [path.join(root, 'examples/node-server/index.js'), 'u-2002'], {
    TCB_ENV: emulator.env,
    TENCENTCLOUD_SECRETID: emulator.secretId,
    TENCENTCLOUD_SECRETKEY: emulator.secretKey,
    PAGE_MODULE_SERVICE_URL: `${emulator.url}/admin`,
  })
}

/**
 * examples/miniprogram's page and scene-module card, loaded as the mini-program loads them, with page-module's
 * mini-program build where 构建 npm puts it (miniprogram_npm/page-module/index.js) and wx.cloud = the bridge.
 */
async function miniProgramExample() {
  console.log('\n■ examples/miniprogram — the page and the card, page-module from miniprogram_npm, wx.cloud = the bridge')
  const projectDir = mkdtempSync(path.join(tmpdir(), 'page-module-demo-'))
  try {
    const appDir = path.join(projectDir, 'miniprogram')
    cpSync(path.join(root, 'examples/miniprogram/miniprogram'), appDir, {
      recursive: true,
      filter: (source) => !/node_modules|miniprogram_npm/.test(source),
    })
    const bundle = path.join(path.dirname(createRequire(import.meta.url).resolve('page-module/package.json')), 'dist/miniprogram/index.js')
    for (const placement of ['', 'page_module/sign-in']) {
      mkdirSync(path.join(appDir, placement, 'miniprogram_npm/page-module'), { recursive: true })
      cpSync(bundle, path.join(appDir, placement, 'miniprogram_npm/page-module/index.js'))
    }
    const runtime = createMiniprogramRuntime(appDir, {
      cloud: createWxCloudBridge({ url: emulator.url, openid: 'oMiniProgramUser', appid: wechat.appId }),
    })

    const pageFile = path.join(appDir, 'pages/demo/demo.js')
    runtime.require(pageFile)
    const page = attachInstance(runtime.definitions.get(pageFile))
    console.log('\n  oMiniProgramUser taps 签到 on pages/demo')
    await page.signIn()
    console.log(`  page shows: ${page.data.result || page.data.error}`)
    assert.equal(page.data.result, '签到成功，连续 1 天，获得 10 积分')

    const cardFile = path.join(appDir, 'page_module/sign-in/components/sign-in-card/index.js')
    runtime.require(cardFile)
    console.log('\n  oMiniProgramUser opens page_module/sign-in (the card loads the status), then taps 签到 again')
    const card = attachInstance(runtime.definitions.get(cardFile))
    // Its attached lifetime loads the status without awaiting it, as a component does.
    while (!card.data.status && !card.data.error) await new Promise((resolve) => setTimeout(resolve, 10))
    console.log(`  card shows: ${card.data.status}`)
    await card.signIn()
    console.log(`  card shows: ${card.data.error}`)
    assert.match(card.data.error, /the module answered code 1001/)
  } finally {
    rmSync(projectDir, { recursive: true, force: true })
  }
}

/** One call, printed as caller → module.method data, then the emulator's lines, then the answer. */
/** A Node server stores an image over WeChat's HTTP API (@page-module/wechat/storage); the module tcb:Gallery links to it. */
async function nodeServerStoresImage() {
  console.log("\n■ Node server — @page-module/wechat/storage uploads an image over WeChat's HTTP API; tcb:Gallery links to it")
  const storage = createCloudStorage(
    { env: emulator.env, appId: wechat.appId, appSecret: wechat.appSecret },
    { apiBaseUrl: wechat.apiBaseUrl },
  )
  // A 1×1 PNG.
  const image = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
  const { fileID } = await storage.uploadFile({ cloudPath: 'gallery/pixel.png', fileContent: image })
  console.log(`  server uploaded gallery/pixel.png (${image.length} bytes) → ${fileID}`)
  const gallery = new PageModule('tcb:Gallery', {
    secretId: emulator.secretId,
    secretKey: emulator.secretKey,
    env: emulator.env,
    serviceUrl: `${emulator.url}/admin`,
  })
  const { tempFileURL, maxAge } = await gallery.callMethod('getImageUrl', { fileID })
  const served = await fetch(tempFileURL)
  const bytes = Buffer.from(await served.arrayBuffer())
  assert.ok(bytes.equals(image))
  const link = new URL(tempFileURL)
  console.log(
    `  tcb:Gallery.getImageUrl → ${link.origin}${link.pathname}?sign=… (valid ${maxAge} s) serves ${bytes.length} bytes of ` +
      `${served.headers.get('content-type')}, the same bytes`,
  )
}

async function step(signUp, caller, method, data, options) {
  console.log(`\n  ${caller} → ${signUp.id}.${method} ${data === undefined ? '' : show(data)}`)
  try {
    const answer = await signUp.callMethod(method, data, options)
    console.log(`  ✓ ${show(answer)}`)
    return answer
  } catch (error) {
    if (!isPageModuleError(error) || error.moduleCode === undefined) throw error
    console.log(`  ✗ code ${error.moduleCode} (${error.code}): ${error.message}`)
    return error
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
  console.log(`  WeChat API apiBaseUrl ${wechat.apiBaseUrl}   appId ${wechat.appId}   appSecret ${wechat.appSecret}`)
  console.log(emulator.url)
  await new Promise((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
}
