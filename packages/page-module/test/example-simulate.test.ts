// @vitest-environment jsdom
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import simulate from 'miniprogram-simulate'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import failures from '../../page-module-mp/src/__fixtures__/wx-cloud-failures.json'
import { assertBuilt, copyExample, packageDir, placements } from './build-npm-project'
import { createSignUpWxCloud } from './sign-up-wx-cloud'

// miniprogram-simulate runs the example's files with Node's own require, which looks in node_modules, not in
// miniprogram_npm. So a copy of the example gets, in each placement, node_modules/page-module holding what
// 构建 npm puts in miniprogram_npm/page-module (build-npm.test.ts proves it is the built bundle, byte for byte).
let projectDir = ''

beforeAll(() => {
  assertBuilt()
  projectDir = mkdtempSync(path.join(tmpdir(), 'page-module-simulate-'))
  copyExample(projectDir)
  for (const placement of placements) {
    const installed = path.join(projectDir, placement, 'node_modules/page-module')
    mkdirSync(installed, { recursive: true })
    cpSync(path.join(packageDir, 'dist/miniprogram'), installed, { recursive: true })
    writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'page-module', main: 'index.js' }))
  }
})

afterAll(() => {
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

describe('examples/miniprogram rendered with miniprogram-simulate', () => {
  it('pages/demo: tapping 签到 shows the module\'s answer', async () => {
    const cloud = createSignUpWxCloud()
    globals.wx.cloud = cloud
    const page = render('miniprogram/pages/demo/demo')
    expect(textOf(page, '.result')).toBe('')
    page.querySelector('.sign-in')?.dispatchEvent('tap')
    await vi.waitFor(() => expect(textOf(page, '.result')).toBe('签到成功，连续 3 天，获得 10 积分'))
    expect(cloud.calls).toMatchObject([{ name: 'tcb-SignUp', data: { method: 'doSignIn', data: {} } }])
  })

  it('page_module/sign-in card: shows the status, then signs in; a second tap shows the module\'s refusal', async () => {
    globals.wx.cloud = createSignUpWxCloud()
    const card = render('miniprogram/page_module/sign-in/components/sign-in-card/index')
    await vi.waitFor(() => expect(textOf(card, '.status')).toBe('已连续 2 天，今天还没签到'))
    card.querySelector('.sign-in')?.dispatchEvent('tap')
    await vi.waitFor(() => expect(textOf(card, '.result')).toBe('签到成功，连续 3 天，获得 10 积分'))
    expect(textOf(card, '.status')).toBe('今天已签到，连续 3 天')
    card.querySelector('.sign-in')?.dispatchEvent('tap')
    await vi.waitFor(() => expect(textOf(card, '.error')).toMatch(/the module answered code 1001: 今天已经签到过了$/))
  })

  it('page_module/sign-in card: a missing cloud function is shown with what to do', async () => {
    const cloud = createSignUpWxCloud()
    cloud.rejectNext(failures.functionMissing.error)
    globals.wx.cloud = cloud
    const card = render('miniprogram/page_module/sign-in/components/sign-in-card/index')
    await vi.waitFor(() => expect(textOf(card, '.error')).toContain("no cloud function 'tcb-SignUp' in the env of wx.cloud.init() — deploy"))
  })
})
