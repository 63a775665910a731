import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attachInstance, createMiniprogramRuntime } from '@page-module/tooling-miniprogram-runtime'
import { bannerValue, buildNpm, createMiniprogramProject, createNpmProject, packWithPnpm, runUntilBanner, userEnvironment } from './index'

// A newcomer's first hour, as one script: a fresh clone → the README's demo line → the packages packed as published →
// a Node project and a mini-program project installing them with npm → `npx page-module dev` → both calling it.
const repositoryRoot = path.resolve(import.meta.dirname, '../..')
const publishedFolders = ['core', 'host', 'wechat', 'dev', 'page-module-node', 'page-module'] as const
let work = ''
let clone = ''

/** The files a clone of this tree holds: tracked ones and new ones git does not ignore (the change under test). */
function cloneWorkingTree(destination: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  })
  for (const file of listed.split('\0').filter(Boolean)) {
    try {
      cpSync(path.join(repositoryRoot, file), path.join(destination, file))
    } catch (error) {
      // Deleted in the working tree and not yet committed: a clone of the change would not hold it either.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
}

/** The README's command marked `# the demo`, as a newcomer pastes it. */
function readmeDemoLine(): string {
  const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8')
  const line = /^```sh\n([\s\S]*?)^```/m
    .exec(readme)?.[1]
    ?.split('\n')
    .find((candidate) => candidate.endsWith('# the demo'))
  if (!line) throw new Error("README.md's first sh block has no line ending in `# the demo`")
  return line.replace(/\s*# the demo$/, '')
}

function runInShell(command: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: userEnvironment })
    let output = ''
    child.stdout.on('data', (chunk) => (output += String(chunk)))
    child.stderr.on('data', (chunk) => (output += String(chunk)))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, output }))
  })
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'page-module-newcomer-'))
  clone = path.join(work, 'clone')
  cloneWorkingTree(clone)
})

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe("a newcomer's first hour, scripted", () => {
  it("1. the README's demo line, in a fresh clone: installs, builds, calls the module from Node and the mini-program, exits 0", async () => {
    const { code, output } = await runInShell(readmeDemoLine(), clone)
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
  }, 600_000)

  it('2. packed as published, installed with npm in a Node project and a mini-program project; `npx page-module dev`; both call it', async () => {
    execFileSync('bash', ['-c', 'npx -y pnpm@10.34.9 install --frozen-lockfile && npx -y pnpm@10.34.9 build'], {
      cwd: clone,
      stdio: 'pipe',
      env: userEnvironment,
    })
    mkdirSync(path.join(work, 'packed'))
    const tarballs = packWithPnpm(clone, publishedFolders, path.join(work, 'packed'))
    // What `npm install page-module` brings. The dev tools' own dependencies (host, wechat) are tarballs here too: no
    // registry has them.
    const pageModule = [tarballs['page-module']!, tarballs['page-module-node']!, tarballs.core!]

    // The Node server: `npm install page-module`, `npm install -D @page-module/dev`.
    const server = createNpmProject(path.join(work, 'node-server'), {
      dependencies: pageModule,
      devDependencies: [tarballs.dev!, tarballs.host!, tarballs.wechat!],
    })
    // The mini-program: `npm install page-module` in examples/miniprogram's package.json folders, then DevTools' 构建 npm.
    const miniprogram = createMiniprogramProject(path.join(clone, 'examples/miniprogram'), path.join(work, 'miniprogram'), pageModule)
    expect(await buildNpm(miniprogram)).toEqual([])

    const functions = path.join(clone, 'examples/cloudfunctions')
    const { output, stopped } = await runUntilBanner(
      'npx',
      ['page-module', 'dev', '--functions', functions, '--env', 'local'],
      server,
      async (banner, url) => {
        // The root README's Node snippet, with the serviceUrl and keys the banner printed.
        const script = `
        const PageModule = require('page-module')
        const { SECRET_ID: secretId, SECRET_KEY: secretKey, SERVICE_URL: serviceUrl } = process.env
        const signUp = new PageModule('tcb:SignUp', { secretId, secretKey, env: 'local', serviceUrl })
        signUp.callMethod('doSignIn', { userId: 'u-newcomer', day: '2026-11-30' }).then((answer) => console.log(JSON.stringify(answer)))
      `
        const answer = execFileSync(process.execPath, ['-e', script], {
          cwd: server,
          env: {
            ...userEnvironment,
            SERVICE_URL: bannerValue(banner, 'serviceUrl'),
            SECRET_ID: bannerValue(banner, 'secretId'),
            SECRET_KEY: bannerValue(banner, 'secretKey'),
          },
          encoding: 'utf8',
        })
        expect(JSON.parse(answer)).toMatchObject({ day: '2026-11-30', streak: 1, prize: { code: 0 } })

        // The built mini-program page, its wx.cloud the bridge of the installed @page-module/dev to the same emulator.
        const { createWxCloudBridge } = createRequire(path.join(server, 'package.json'))('@page-module/dev/wx-cloud-bridge') as {
          createWxCloudBridge(options: { url: string; openid: string; appid: string }): unknown
        }
        const cloud = createWxCloudBridge({ url, openid: 'oNewcomer', appid: 'wxNewcomerApp' })
        const runtime = createMiniprogramRuntime(path.join(miniprogram, 'miniprogram'), { cloud })
        const page = path.join(miniprogram, 'miniprogram/pages/demo/demo.js')
        runtime.require(page)
        const instance = attachInstance(runtime.definitions.get(page))
        await (instance.signIn as () => Promise<void>)()
        expect(instance.data).toMatchObject({ busy: false, result: '签到成功，连续 1 天，获得 10 积分', error: '' })
      },
    )
    // The emulator's log: each call, the module's function and the custom interface it reached.
    expect(output).toMatch(/tcb-SignUp-api\/sendPrize ← fn:tcb-SignUp {2}0 /)
    expect(output).toMatch(/tcb-SignUp-api\/sendPrize ← oNewcomer via fn:tcb-SignUp {2}0 /)
    expect(stopped).toBe(true)
  }, 600_000)
})
