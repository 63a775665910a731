import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { createFakeWxCloud } from '@page-module/mp/testing'
import { createMiniprogramRuntime } from '@page-module/tooling-miniprogram-runtime'
import { parse } from 'acorn'
import { minify } from 'terser'
import { beforeAll, describe, expect, it } from 'vitest'

const folder = path.resolve(import.meta.dirname, '../dist/miniprogram')
const bundleFile = path.join(folder, 'index.js')
const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as { miniprogram: string }
/** min+gzip bytes the mini-program build may cost the host's 2 MB main package. */
const BUDGET_BYTES = 10 * 1024
let bundle = ''

beforeAll(() => {
  if (!existsSync(bundleFile))
    throw new Error('packages/page-module/dist/miniprogram/index.js is missing: run `pnpm build` first (the verify script does)')
  bundle = readFileSync(bundleFile, 'utf8')
})

describe('the mini-program build (`miniprogram` field)', () => {
  it('is one index.js in the folder the `miniprogram` field names: nothing the upload would drop (.d.ts, .map)', () => {
    expect(path.resolve(import.meta.dirname, '..', manifest.miniprogram)).toBe(folder)
    // sm/index.js is `page-module/sm`, its own entry with its own budget (test/sm-protection.test.ts).
    expect(readdirSync(folder)).toEqual(['index.js', 'sm'])
    expect(readdirSync(path.join(folder, 'sm'))).toEqual(['index.js'])
  })

  it('parses as ES2015 CommonJS', () => {
    expect(() => parse(bundle, { ecmaVersion: 2015, sourceType: 'script' })).not.toThrow()
  })

  it('requires nothing: core and the wx.cloud adapter are inlined, no Node built-in, no dynamic require', () => {
    expect(bundle).not.toMatch(/\brequire\s*\(/)
    expect(bundle).not.toMatch(/\b(process|Buffer|__dirname|__filename|globalThis|eval)\b|new Function/)
    const builtins = builtinModules.filter((name) => !name.startsWith('_'))
    expect(builtins.filter((name) => bundle.includes(`'${name}'`) || bundle.includes(`"node:${name}"`))).toEqual([])
  })

  it('holds no secret-handling code', () => {
    expect(bundle).not.toMatch(/secretKey|secretId|sessionToken|TC3-HMAC|access_token|appSecret|createHmac/i)
  })

  it(`stays within ${BUDGET_BYTES} bytes minified and gzipped`, async () => {
    const minified = (await minify(bundle, { ecma: 2015, module: false, compress: { passes: 2 }, mangle: true })).code ?? ''
    const gzipped = gzipSync(minified, { level: 9 }).length
    console.info(`dist/miniprogram/index.js: ${bundle.length} B raw, ${minified.length} B min, ${gzipped} B min+gzip`)
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES)
  })

  it('exports the PageModule class itself, with every named export on it', () => {
    const exported = createMiniprogramRuntime(folder, {}).require(bundleFile) as {
      PageModule: unknown
      isPageModuleError: unknown
      createWxCloudTransport: unknown
    }
    expect(typeof exported).toBe('function')
    expect(exported.PageModule).toBe(exported)
    expect([typeof exported.isPageModuleError, typeof exported.createWxCloudTransport]).toEqual(['function', 'function'])
  })

  it('calls a module over the global wx.cloud in a mini-program runtime', async () => {
    const cloud = createFakeWxCloud({ doSignIn: () => ({ streak: 1 }) })
    const runtime = createMiniprogramRuntime(folder, { cloud })
    const PageModule = runtime.require(bundleFile)
    const answer = runtime.evaluate("new PageModule('tcb:SignUp').callMethod('doSignIn', {})", { PageModule }) as Promise<unknown>
    await expect(answer).resolves.toEqual({ streak: 1 })
    expect(cloud.calls[0]?.data).toMatchObject({ client: { name: '@page-module/mp', version: '0.1.0' } })
  })
})
