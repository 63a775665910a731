import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { assertBuilt, exampleDir, packageDir, packPublishedPackages } from './build-npm-project'
import { buildNpm, createMiniprogramProject, miniprogramPlacements, type PackNpmWarning } from '@page-module/tooling-user-projects'
import { attachInstance, createMiniprogramRuntime } from '@page-module/tooling-miniprogram-runtime'
import { startSignUpCloud, type SignUpCloud } from './sign-up-wx-cloud'

// The oracle is WeChat's own packer (miniprogram-ci's packNpm is DevTools' 构建 npm) run on the published tarballs.
let workDir = ''
let projectDir = ''
let warnings: PackNpmWarning[] = []
let signUpCloud: SignUpCloud

beforeAll(async () => {
  assertBuilt()
  signUpCloud = await startSignUpCloud()
  workDir = mkdtempSync(path.join(tmpdir(), 'page-module-build-npm-'))
  const tarballs = packPublishedPackages(mkdtempSync(path.join(workDir, 'tarballs-')))
  projectDir = createMiniprogramProject(exampleDir, path.join(workDir, 'project'), tarballs)
  warnings = await buildNpm(projectDir)
}, 240_000)

afterAll(async () => {
  await signUpCloud?.close()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full).map((file) => `${name}/${file}`) : [name]
  })
}

describe('构建 npm (miniprogram-ci packNpm) of examples/miniprogram with the packed packages installed', () => {
  it('reports no warning: the peer @page-module/node and its dependencies are not followed', () => {
    expect(warnings).toEqual([])
  })

  it.each(miniprogramPlacements)(
    'gives %s/miniprogram_npm exactly page-module/index.js (+ sm/index.js), byte for byte the build',
    (placement) => {
      const npmDir = path.join(projectDir, placement, 'miniprogram_npm')
      expect(filesUnder(npmDir)).toEqual(['page-module/index.js', 'page-module/sm/index.js'])
      expect(readFileSync(path.join(npmDir, 'page-module/sm/index.js'), 'utf8')).toBe(
        readFileSync(path.join(packageDir, 'dist/miniprogram/sm/index.js'), 'utf8'),
      )
      expect(readFileSync(path.join(npmDir, 'page-module/index.js'), 'utf8')).toBe(
        readFileSync(path.join(packageDir, 'dist/miniprogram/index.js'), 'utf8'),
      )
    },
  )

  it("runs the demo page: require('page-module') from miniprogram_npm, a tap signs in over wx.cloud (the emulator's bridge)", async () => {
    const runtime = createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), { cloud: signUpCloud.wxCloudFor('oPackedPageUser') })
    const page = path.join(projectDir, 'miniprogram/pages/demo/demo.js')
    runtime.require(page)
    const instance = attachInstance(runtime.definitions.get(page))
    await (instance.signIn as () => Promise<void>)()
    expect(instance.data).toMatchObject({ busy: false, result: '签到成功，连续 1 天，获得 10 积分', error: '' })
    expect(signUpCloud.log).toEqual(
      expect.arrayContaining([expect.stringMatching(/^tcb-SignUp-api\/sendPrize ← oPackedPageUser via fn:tcb-SignUp {2}0 /)]),
    )
  })

  it("runs the scene module's component from page_module/sign-in with its own miniprogram_npm", async () => {
    const runtime = createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), { cloud: signUpCloud.wxCloudFor('oPackedCardUser') })
    const component = path.join(projectDir, 'miniprogram/page_module/sign-in/components/sign-in-card/index.js')
    runtime.require(component)
    const instance = attachInstance(runtime.definitions.get(component))
    await vi.waitFor(() => expect(instance.data.status).toBe('已连续 0 天，今天还没签到'))
    await (instance.signIn as () => Promise<void>)()
    await (instance.signIn as () => Promise<void>)()
    expect(instance.data.error).toMatch(
      /^\[tcb:SignUp\.doSignIn\] \S+: the module answered code 1001: already signed in on \d{4}-\d{2}-\d{2}$/,
    )
    expect(instance.data.status).toBe('今天已签到，连续 1 天')
  })

  it('is not broken by what the Node adapter depends on: build npm does not follow a peer dependency', async () => {
    const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >
    expect([manifest.dependencies, manifest.optionalDependencies, Object.keys(manifest.peerDependencies ?? {})]).toEqual([
      undefined,
      undefined,
      ['@page-module/node'],
    ])
    // An ES2020 dependency of @page-module/node: followed through `dependencies`, it aborts the whole build.
    const copy = path.join(workDir, 'with-modern-node-dependency')
    cpSync(projectDir, copy, { recursive: true })
    const nodeModules = path.join(copy, 'miniprogram/node_modules')
    mkdirSync(path.join(nodeModules, 'modern-lib'))
    writeFileSync(
      path.join(nodeModules, 'modern-lib/package.json'),
      JSON.stringify({ name: 'modern-lib', version: '1.0.0', main: 'index.js' }),
    )
    writeFileSync(path.join(nodeModules, 'modern-lib/index.js'), 'module.exports = (value) => value?.field ?? null\n')
    const adapterManifestFile = path.join(nodeModules, '@page-module/node/package.json')
    const adapterManifest = JSON.parse(readFileSync(adapterManifestFile, 'utf8')) as { dependencies: Record<string, string> }
    writeFileSync(
      adapterManifestFile,
      JSON.stringify({ ...adapterManifest, dependencies: { ...adapterManifest.dependencies, 'modern-lib': '1.0.0' } }),
    )
    await expect(buildNpm(copy)).resolves.toEqual([])
    expect(filesUnder(path.join(copy, 'miniprogram/miniprogram_npm'))).toEqual(['page-module/index.js', 'page-module/sm/index.js'])
  })

  it('`npm install page-module @page-module/node` (the yarn/cnpm advice, for Node projects only) in a mini-program: 构建 npm warns', async () => {
    // That install lists the adapter in the mini-program's own package.json, and 构建 npm packs every listed dependency.
    const copy = path.join(workDir, 'with-node-adapter-listed')
    cpSync(projectDir, copy, { recursive: true })
    const manifestFile = path.join(copy, 'miniprogram/package.json')
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { dependencies: Record<string, string> }
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, dependencies: { ...manifest.dependencies, '@page-module/node': '^0.1.0' } }))
    // It walks into the adapter and its dependency: their `main` ends in `.cjs`, to which the packer appends `.js`.
    const warnings = await buildNpm(copy)
    expect(warnings.map(({ msg, jsPath }) => [msg, path.relative(copy, jsPath)])).toEqual(
      ['core', 'node'].map((name) => [
        'Npm package entry file not found',
        path.join('miniprogram/node_modules/@page-module', name, 'dist/index.cjs.js'),
      ]),
    )
    expect(filesUnder(path.join(copy, 'miniprogram/miniprogram_npm'))).toEqual(['page-module/index.js', 'page-module/sm/index.js'])
    // The documented mini-program install (`npm install page-module` alone) in the same project: no warning.
    writeFileSync(manifestFile, JSON.stringify(manifest))
    await expect(buildNpm(copy)).resolves.toEqual([])
    expect(filesUnder(path.join(copy, 'miniprogram/miniprogram_npm'))).toEqual(['page-module/index.js', 'page-module/sm/index.js'])
  })

  it("loads require('page-module/sm') from miniprogram_npm in the mini-program runtime", () => {
    const file = path.join(projectDir, 'miniprogram/uses-sm.js')
    writeFileSync(file, "module.exports = require('page-module/sm')")
    const exported = createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), {}).require(file) as Record<string, unknown>
    expect([typeof exported.smProtection, exported.SM_ALGORITHM]).toEqual(['function', 'SM2-C1C3C2/SM4-CBC-PKCS7/HMAC-SM3'])
  })

  it('refuses Node built-ins in that runtime, as the mini-program does', () => {
    const file = path.join(projectDir, 'miniprogram/uses-crypto.js')
    writeFileSync(file, "module.exports = require('crypto')")
    expect(() => createMiniprogramRuntime(path.join(projectDir, 'miniprogram'), {}).require(file)).toThrow(
      "module 'crypto.js' is not defined, require args is 'crypto'",
    )
  })
})
