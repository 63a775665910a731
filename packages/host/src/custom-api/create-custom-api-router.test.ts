import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomApiRouter } from './create-custom-api-router'

let dir: string
const event = (name: unknown, data: unknown = { openid: 'oUser1' }) => ({
  pageModuleCustomApi: 1,
  module: 'tcb:SignUp',
  name,
  data,
  requestId: 'req-1',
})

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'custom-api-'))
  mkdirSync(path.join(dir, 'api'))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }')
  const files: Record<string, string> = {
    'sendPrize.js': "module.exports = async (data, context) => ({ code: 0, msg: 'suc', to: data.openid, module: context.module })",
    'fails.js': "module.exports = async () => { throw new Error('points service down') }",
    'noCode.js': 'module.exports = async () => ({ ok: true })',
    'badMsg.js': 'module.exports = async () => ({ code: 0, msg: 42 })',
    'notAFunction.js': 'module.exports = { code: 0 }',
    'brokenSyntax.js': 'module.exports = async () => {',
    'needsMissing.js': "module.exports = async () => { require('./no-such-helper'); return { code: 0 } }",
    'counted.js': 'module.exports = async () => { globalThis.customApiRuns = (globalThis.customApiRuns || 0) + 1; return { code: 0 } }',
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, 'api', file), text)
  // Something a traversing name would reach.
  writeFileSync(path.join(dir, 'secret.js'), "module.exports = async () => ({ code: 0, msg: 'should never run' })")
})
const runs = () => (globalThis as { customApiRuns?: number }).customApiRuns ?? 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('createCustomApiRouter', () => {
  it('routes to api/<name>.js and answers what it answered', async () => {
    const main = createCustomApiRouter({ dir })
    await expect(main(event('sendPrize'))).resolves.toEqual({ code: 0, msg: 'suc', to: 'oUser1', module: 'tcb:SignUp' })
  })

  it('answers -1 with the seed wording when the file is missing', async () => {
    await expect(createCustomApiRouter({ dir })(event('getUser'))).resolves.toEqual({
      code: -1,
      msg: '自定义接口未实现，请按规范在 api/getUser.js 文件中编写代码实现接口',
    })
  })

  it('answers -2 with the seed wording when the implementation throws', async () => {
    await expect(createCustomApiRouter({ dir })(event('fails'))).resolves.toEqual({
      code: -2,
      msg: '调用接口实现异常：points service down',
    })
  })

  it('answers -2 with the error message only, and logs the rest (the Require stack of server paths) on the server', async () => {
    const lines: string[] = []
    const answer = await createCustomApiRouter({ dir, log: (line) => lines.push(line) })(event('needsMissing'))
    expect(answer).toEqual({ code: -2, msg: "调用接口实现异常：Cannot find module './no-such-helper'" })
    expect(JSON.stringify(answer)).not.toContain(dir)
    expect(lines.join('\n')).toContain('Require stack')
    expect(lines.join('\n')).toContain(path.join(dir, 'api', 'needsMissing.js'))
  })

  it('answers -2 when the answer is not { code: number, msg?: string }, or the file is not a function', async () => {
    const main = createCustomApiRouter({ dir })
    for (const name of ['noCode', 'badMsg', 'notAFunction', 'brokenSyntax']) {
      await expect(main(event(name)), name).resolves.toMatchObject({ code: -2, msg: expect.stringMatching(/^调用接口实现异常：/) })
    }
  })

  it('refuses names that are not plain identifiers, without touching the file system', async () => {
    const main = createCustomApiRouter({ dir })
    for (const name of [
      '../secret',
      '..%2Fsecret',
      'api/../../secret',
      '__proto__',
      'constructor',
      'toString',
      'a.b',
      '',
      42,
      'x'.repeat(65),
    ]) {
      await expect(main(event(name)), String(name)).resolves.toMatchObject({ code: -3 })
    }
  })

  it('answers -7 and runs nothing for a direct call from a mini-program, and runs a call through the module’s function', async () => {
    const ranBefore = runs()
    for (const source of ['wx_client', 'wx_devtools', 'wx_http', 'scf,wx_client', ',unknown']) {
      const main = createCustomApiRouter({ dir, environment: { TCB_SOURCE: source } })
      await expect(main(event('counted')), source).resolves.toMatchObject({ code: -7, msg: expect.stringContaining(source) })
    }
    expect(runs()).toBe(ranBefore)
    // What the emulator and the cloud set when the module's function calls on for its user (or for a server).
    for (const source of ['wx_client,scf', ',unknown,scf']) {
      const main = createCustomApiRouter({ dir, environment: { TCB_SOURCE: source } })
      await expect(main(event('counted')), source).resolves.toEqual({ code: 0 })
    }
    expect(runs()).toBe(ranBefore + 2)
  })

  it('refuses an event that is not a custom-interface call', async () => {
    await expect(createCustomApiRouter({ dir })({ name: 'sendPrize' })).resolves.toMatchObject({ code: -3 })
  })
})
