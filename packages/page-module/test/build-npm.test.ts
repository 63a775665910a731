import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { assertBuilt, buildNpm, createExampleProject, packageDir, packPublishedPackages, placements, type PackNpmWarning } from './build-npm-project'
import { createMiniprogramRuntime, type Definition } from './miniprogram-runtime'
import { createSignUpWxCloud } from './sign-up-wx-cloud'

// The oracle is WeChat's own packer (miniprogram-ci's packNpm is DevTools' 构建 npm) run on the published tarballs.
let workDir = ''
let projectDir = ''
let warnings: PackNpmWarning[] = []

beforeAll(async () => {
  assertBuilt()
  workDir = mkdtempSync(path.join(tmpdir(), 'page-module-build-npm-'))
  const tarballs = packPublishedPackages(mkdtempSync(path.join(workDir, 'tarballs-')))
  projectDir = createExampleProject(workDir, tarballs)
  warnings = await buildNpm(projectDir)
}, 240_000)

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full).map((file) => `${name}/${file}`) : [name]
  })
}

/** A component instance as far as these files use it: `data` and `setData`. */
function instanceOf(definition: Definition | undefined): { data: Record<string, unknown> } & Record<string, (...args: unknown[]) => unknown> {
  if (!definition) throw new Error('the file registered no Component')
  const instance = { data: { ...(definition.data as object) }, setData(patch: object) { Object.assign(instance.data, patch) } }
  return Object.assign(instance, definition.methods) as never
}

describe('构建 npm (miniprogram-ci packNpm) of examples/miniprogram with the packed packages installed', () => {
  it('reports no warning: the peer @page-module/node and its dependencies are not followed', () => {
    expect(warnings).toEqual([])
  })

  it.each(placements)('gives %s/miniprogram_npm exactly page-module/index.js, byte for byte the built bundle', (placement) => {
    const npmDir = path.join(projectDir, placement, 'miniprogram_npm')
    expect(filesUnder(npmDir)).toEqual(['page-module/index.js'])
    expect(readFileSync(path.join(npmDir, 'page-module/index.js'), 'utf8')).toBe(readFileSync(path.join(packageDir, 'dist/miniprogram/index.js'), 'utf8'))
  })

  it('runs the demo page: require(\'page-module\') from miniprogram_npm, a tap signs in over wx.cloud', async () => {
    const cloud = createSignUpWxCloud()
    const runtime = createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), { cloud })
    const page = path.join(projectDir, 'miniprogram/pages/demo/demo.js')
    runtime.require(page)
    const instance = instanceOf(runtime.definitions.get(page))
    await instance.signIn?.()
    expect(instance.data).toMatchObject({ busy: false, result: '签到成功，连续 3 天，获得 10 积分', error: '' })
    expect(cloud.calls[0]).toMatchObject({ name: 'tcb-SignUp', data: { module: 'tcb:SignUp', method: 'doSignIn', client: { name: '@page-module/mp' } } })
  })

  it('runs the scene module\'s component from page_module/sign-in with its own miniprogram_npm', async () => {
    const cloud = createSignUpWxCloud()
    const runtime = createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), { cloud })
    const component = path.join(projectDir, 'miniprogram/page_module/sign-in/components/sign-in-card/index.js')
    runtime.require(component)
    const definition = runtime.definitions.get(component)
    const instance = instanceOf(definition)
    ;(definition?.lifetimes as { attached(this: unknown): void }).attached.call(instance)
    await vi.waitFor(() => expect(instance.data.status).toBe('已连续 2 天，今天还没签到'))
    await instance.signIn?.()
    await instance.signIn?.()
    expect(instance.data.error).toMatch(/^\[tcb:SignUp\.doSignIn\] \S+: the module answered code 1001: 今天已经签到过了$/)
    expect(instance.data.status).toBe('今天已签到，连续 3 天')
  })

  it('is not broken by what the Node adapter depends on: build npm does not follow a peer dependency', async () => {
    const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
    expect([manifest.dependencies, manifest.optionalDependencies, Object.keys(manifest.peerDependencies ?? {})]).toEqual([undefined, undefined, ['@page-module/node']])
    // An ES2020 dependency of @page-module/node: followed through `dependencies`, it aborts the whole build.
    const copy = path.join(workDir, 'with-modern-node-dependency')
    cpSync(projectDir, copy, { recursive: true })
    const nodeModules = path.join(copy, 'miniprogram/node_modules')
    mkdirSync(path.join(nodeModules, 'modern-lib'))
    writeFileSync(path.join(nodeModules, 'modern-lib/package.json'), JSON.stringify({ name: 'modern-lib', version: '1.0.0', main: 'index.js' }))
    writeFileSync(path.join(nodeModules, 'modern-lib/index.js'), 'module.exports = (value) => value?.field ?? null\n')
    const adapterManifestFile = path.join(nodeModules, '@page-module/node/package.json')
    const adapterManifest = JSON.parse(readFileSync(adapterManifestFile, 'utf8')) as { dependencies: Record<string, string> }
    writeFileSync(adapterManifestFile, JSON.stringify({ ...adapterManifest, dependencies: { ...adapterManifest.dependencies, 'modern-lib': '1.0.0' } }))
    await expect(buildNpm(copy)).resolves.toEqual([])
    expect(filesUnder(path.join(copy, 'miniprogram/miniprogram_npm'))).toEqual(['page-module/index.js'])
  })

  it('refuses Node built-ins in that runtime, as the mini-program does', () => {
    const file = path.join(projectDir, 'miniprogram/uses-crypto.js')
    writeFileSync(file, "module.exports = require('crypto')")
    expect(() => createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), {}).require(file)).toThrow("module 'crypto.js' is not defined, require args is 'crypto'")
  })
})
