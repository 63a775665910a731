import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { createWxCloudBridge } from '@page-module/dev/wx-cloud-bridge'
import { createMiniprogramRuntime } from '@page-module/tooling-miniprogram-runtime'
import { parse } from 'acorn'
import { PageModule } from 'page-module'
import { smProtection } from 'page-module/sm'
import { minify } from 'terser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmCloud, type SmCloud } from './sm-cloud'

const folder = path.resolve(import.meta.dirname, '../dist/miniprogram')
const smBundleFile = path.join(folder, 'sm/index.js')
/** min+gzip bytes `page-module/sm` may add to the host's main package (sm-crypto-v2 with @noble's curve code). */
const SM_BUDGET_BYTES = 30 * 1024
const person = { name: '王五', idCard: '44030019900101123X' }
const PLAINTEXT = /王五|44030019900101123X/

let cloud: SmCloud
let smBundle = ''

beforeAll(async () => {
  if (!existsSync(smBundleFile))
    throw new Error('packages/page-module/dist/miniprogram/sm/index.js is missing: run `pnpm build` first (the verify script does)')
  smBundle = readFileSync(smBundleFile, 'utf8')
  cloud = await startSmCloud()
}, 60_000)

afterAll(async () => {
  await cloud?.close()
})

/** wx.getRandomValues as the base library ≥ 2.15.0 has it: asynchronous, success/fail callbacks. */
function wxRandom(requests: number[]) {
  return (options: { length: number; success?(result: { randomValues: ArrayBuffer }): void }) => {
    requests.push(options.length)
    setTimeout(() => {
      const bytes = randomBytes(options.length)
      options.success?.({ randomValues: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) })
    }, 1)
  }
}

describe('page-module/sm in the mini-program (dist/miniprogram/sm/index.js)', () => {
  it('parses as ES2015 CommonJS and requires nothing: no Node built-in, no eval, never Math.random', () => {
    expect(() => parse(smBundle, { ecmaVersion: 2015, sourceType: 'script' })).not.toThrow()
    expect(smBundle).not.toMatch(/\brequire\s*\(/)
    // `process(view, offset)` is a hash class's method: only the globals' use (`process.env`, `Buffer.from`) counts.
    expect(smBundle).not.toMatch(/(^|[^.\w$])(process|Buffer)\s*[.[]|\b(__dirname|__filename)\b|\beval\s*\(|new Function|Math\.random/)
    const builtins = builtinModules.filter((name) => !name.startsWith('_'))
    expect(builtins.filter((name) => smBundle.includes(`require('${name}')`) || smBundle.includes(`"node:${name}"`))).toEqual([])
  })

  it(`stays within its own budget of ${SM_BUDGET_BYTES} bytes minified and gzipped`, async () => {
    const minified = (await minify(smBundle, { ecma: 2015, module: false, compress: { passes: 2 }, mangle: true })).code ?? ''
    const gzipped = gzipSync(minified, { level: 9 }).length
    console.info(`dist/miniprogram/sm/index.js: ${smBundle.length} B raw, ${minified.length} B min, ${gzipped} B min+gzip`)
    expect(gzipped).toBeLessThanOrEqual(SM_BUDGET_BYTES)
  })

  it('refuses to work without wx.getRandomValues (base library < 2.15.0): UNSUPPORTED_RUNTIME, never a weaker source', () => {
    const runtime = createMiniprogramRuntime(folder, {})
    const sm = runtime.require(smBundleFile) as { smProtection: (options: { publicKey: string }) => unknown }
    expect(() => sm.smProtection({ publicKey: cloud.publicKey })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_RUNTIME' }))
  })

  it('calls the protected module through the emulator; the function event and the emulator log hold no plaintext', async () => {
    const requests: number[] = []
    const bridge = createWxCloudBridge({ url: cloud.emulator.url, openid: 'oSmUser', appid: 'wxSmApp' })
    const runtime = createMiniprogramRuntime(folder, { cloud: bridge, getRandomValues: wxRandom(requests) })
    const PageModule = runtime.require(path.join(folder, 'index.js'))
    const sm = runtime.require(smBundleFile)
    const answer = runtime.evaluate(
      "new PageModule('tcb:Profile', { protection: sm.smProtection({ publicKey }) }).callMethod('save', { name: name, idCard: idCard })",
      { PageModule, sm, publicKey: cloud.publicKey, name: person.name, idCard: person.idCard },
    ) as Promise<unknown>
    await expect(answer).resolves.toEqual({ saved: '王五', idCardTail: '123X', caller: 'wechat-user' })
    expect(requests.length).toBeGreaterThan(0)
    const events = cloud.log.filter((line) => line.includes('event {'))
    expect(events.some((line) => line.includes('"alg":"SM2-C1C3C2/SM4-CBC-PKCS7/HMAC-SM3"'))).toBe(true)
    expect(cloud.log.join('\n')).not.toMatch(PLAINTEXT)
  })
})

describe('page-module/sm on Node', () => {
  it('calls the protected module over CloudBase HTTP through the emulator; nothing on the way holds the plaintext', async () => {
    const before = cloud.log.length
    const profile = new PageModule('tcb:Profile', {
      secretId: cloud.emulator.secretId,
      secretKey: cloud.emulator.secretKey,
      env: cloud.emulator.env,
      serviceUrl: `${cloud.emulator.url}/admin`,
      protection: smProtection({ publicKey: cloud.publicKey }),
    })
    try {
      await expect(profile.callMethod('save', person)).resolves.toEqual({ saved: '王五', idCardTail: '123X', caller: 'server' })
    } finally {
      await profile.close()
    }
    const lines = cloud.log.slice(before)
    expect(lines.some((line) => line.includes('event {') && line.includes('"key":"04'))).toBe(true)
    expect(lines.join('\n')).not.toMatch(PLAINTEXT)
  })

  it('an unprotected client gets PROTECTION_REQUIRED and the method does not run', async () => {
    const before = cloud.log.length
    const plain = new PageModule('tcb:Profile', {
      secretId: cloud.emulator.secretId,
      secretKey: cloud.emulator.secretKey,
      env: cloud.emulator.env,
      serviceUrl: `${cloud.emulator.url}/admin`,
      retries: 0,
    })
    try {
      await expect(plain.callMethod('save', person)).rejects.toMatchObject({ code: 'PROTECTION_REQUIRED', moduleCode: -8 })
    } finally {
      await plain.close()
    }
    expect(cloud.log.slice(before).join('\n')).toMatch(/refused by sm protection/)
  })
})
