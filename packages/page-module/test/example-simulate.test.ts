// @vitest-environment jsdom
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { createFakeWxCloud } from '@page-module/mp/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import failures from '../../page-module-mp/src/__fixtures__/wx-cloud-failures.json'
import { copyMiniprogramExample, miniprogramPlacements } from '@page-module/tooling-user-projects'
import { assertBuilt, exampleDir, packageDir } from './build-npm-project'
import { startSignUpCloud, type SignUpCloud } from './sign-up-wx-cloud'

// miniprogram-simulate runs the example's files with Node's own require, which looks in node_modules, not in
// miniprogram_npm. So a copy of the example gets, in each placement, node_modules/page-module holding what
// 构建 npm puts in miniprogram_npm/page-module (build-npm.test.ts proves it is the built bundle, byte for byte).
let projectDir = ''
let signUpCloud: SignUpCloud

beforeAll(async () => {
  assertBuilt()
  signUpCloud = await startSignUpCloud()
  projectDir = mkdtempSync(path.join(tmpdir(), 'page-module-simulate-'))
  copyMiniprogramExample(exampleDir, projectDir)
  for (const placement of miniprogramPlacements) {
    const installed = path.join(projectDir, placement, 'node_modules/page-module')
    mkdirSync(installed, { recursive: true })
    cpSync(path.join(packageDir, 'dist/miniprogram'), installed, { recursive: true })
    writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'page-module', main: 'index.js' }))
  }
})

afterAll(async () => {
  await signUpCloud?.close()
  if (projectDir) rmSync(projectDir, { recursive: true, force: true })
})

const globals = globalThis as unknown as { wx: { cloud?: unknown } }

function render(file: string) {
  // One root for every load: the official compiler compiles a root's wxml once, and two roots' output collide.
  const component = simulate.render(simulate.load(path.join(projectDir, file), { rootPath: path.join(projectDir, 'miniprogram') }))
  component.attach(document.createElement('parent-wrapper'))
  return component
}

function textOf(component: ReturnType<typeof render>, selector: string): string {
  return component.querySelector(selector)?.dom?.textContent?.trim() ?? ''
}

// Each test signs in a user of its own: the emulator, and so the module's sign-in records, are shared by the file.
describe('examples/miniprogram rendered with miniprogram-simulate, on the emulator running examples/cloudfunctions', () => {
  it("pages/demo: tapping 签到 goes through @page-module/mp and the module to the business's sendPrize, and shows the answer", async () => {
    globals.wx.cloud = signUpCloud.wxCloudFor('oDemoPageUser')
    const page = render('miniprogram/pages/demo/demo')
    expect(textOf(page, '.result')).toBe('')
    page.querySelector('.sign-in')?.dispatchEvent('tap')
    await vi.waitFor(() => expect(textOf(page, '.result')).toBe('签到成功，连续 1 天，获得 10 积分'))
    expect(signUpCloud.log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tcb:SignUp\.doSignIn ← oDemoPageUser {2}0 {2}\d+ ms$/),
        expect.stringMatching(/^tcb-SignUp-api\/sendPrize ← oDemoPageUser via fn:tcb-SignUp {2}0 {2}\d+ ms$/),
      ]),
    )
  })

  it("page_module/sign-in card: shows the status, then signs in; a second tap shows the module's refusal", async () => {
    globals.wx.cloud = signUpCloud.wxCloudFor('oCardUser')
    const card = render('miniprogram/page_module/sign-in/components/sign-in-card/index')
    await vi.waitFor(() => expect(textOf(card, '.status')).toBe('已连续 0 天，今天还没签到'))
    card.querySelector('.sign-in')?.dispatchEvent('tap')
    await vi.waitFor(() => expect(textOf(card, '.result')).toBe('签到成功，连续 1 天，获得 10 积分'))
    expect(textOf(card, '.status')).toBe('今天已签到，连续 1 天')
    card.querySelector('.sign-in')?.dispatchEvent('tap')
    await vi.waitFor(() =>
      expect(textOf(card, '.error')).toMatch(
        /^\[tcb:SignUp\.doSignIn\] \S+: the module answered code 1001: already signed in on \d{4}-\d{2}-\d{2}$/,
      ),
    )
  })

  it("page_module/sign-in card: a missing cloud function is shown with what to do (the platform's recorded failure)", async () => {
    const cloud = createFakeWxCloud()
    cloud.rejectNext(failures.functionMissing.error)
    globals.wx.cloud = cloud
    const card = render('miniprogram/page_module/sign-in/components/sign-in-card/index')
    await vi.waitFor(() =>
      expect(textOf(card, '.error')).toContain("no cloud function 'tcb-SignUp' in the env of wx.cloud.init() — deploy"),
    )
  })
})
