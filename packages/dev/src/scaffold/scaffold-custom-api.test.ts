import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli'
import { addCustomApi, scaffoldCustomApi } from './scaffold-custom-api'

let root: string
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'scaffold-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('scaffoldCustomApi', () => {
  it('writes the router, one stub per interface, package.json and README.md', () => {
    const dir = path.join(root, 'tcb-SignUp-api')
    const files = scaffoldCustomApi({ dir, module: 'tcb:SignUp', apis: ['sendPrize', 'getUser'] })
    expect(files.sort()).toEqual(['README.md', 'api/getUser.js', 'api/sendPrize.js', 'index.js', 'package.json'])
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'tcb-SignUp-api',
      main: 'index.js',
      dependencies: { '@page-module/host': expect.any(String) },
    })
    expect(readFileSync(path.join(dir, 'index.js'), 'utf8')).toContain('createCustomApiRouter({ dir: __dirname })')
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('api/sendPrize.js')
  })

  it('writes stubs that answer -1 until implemented', async () => {
    const dir = path.join(root, 'tcb-SignUp-api')
    scaffoldCustomApi({ dir, module: 'tcb:SignUp', apis: ['sendPrize'] })
    const stub = createRequire(path.join(dir, 'index.js'))('./api/sendPrize.js') as () => Promise<unknown>
    await expect(stub()).resolves.toEqual({ code: -1, msg: '自定义接口未实现，请按规范在 api/sendPrize.js 文件中编写代码实现接口' })
  })

  it('refuses to overwrite and writes nothing on bad input', () => {
    const dir = path.join(root, 'taken')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'index.js'), 'mine')
    expect(() => scaffoldCustomApi({ dir, module: 'tcb:SignUp', apis: ['sendPrize'] })).toThrow(/not empty/)
    expect(readdirSync(dir)).toEqual(['index.js'])
    const fresh = path.join(root, 'fresh')
    expect(() => scaffoldCustomApi({ dir: fresh, module: 'SignUp', apis: ['sendPrize'] })).toThrow(/module id/)
    expect(() => scaffoldCustomApi({ dir: fresh, module: 'tcb:SignUp', apis: ['../x'] })).toThrow(/not an interface name/)
    expect(() => scaffoldCustomApi({ dir: fresh, module: 'tcb:SignUp', apis: ['a', 'a'] })).toThrow(/twice/)
    expect(() => scaffoldCustomApi({ dir: fresh, module: 'tcb:SignUp', apis: [] })).toThrow(/at least one/)
    expect(existsSync(fresh)).toBe(false)
  })
})

describe('addCustomApi', () => {
  it('adds one stub to an existing folder, leaving every other file as it was', async () => {
    const dir = path.join(root, 'tcb-SignUp-api')
    scaffoldCustomApi({ dir, module: 'tcb:SignUp', apis: ['sendPrize'] })
    writeFileSync(path.join(dir, 'api', 'sendPrize.js'), 'module.exports = async () => ({ code: 0, msg: "mine" })\n')
    const before = Object.fromEntries(
      ['index.js', 'package.json', 'README.md', 'api/sendPrize.js'].map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]),
    )
    expect(addCustomApi({ dir, api: 'getUser' })).toBe('api/getUser.js')
    for (const [file, text] of Object.entries(before)) expect(readFileSync(path.join(dir, file), 'utf8')).toBe(text)
    const stubText = readFileSync(path.join(dir, 'api', 'getUser.js'), 'utf8')
    expect(stubText).toContain("tcb:SignUp calls getUser with callCustomApi('getUser', data)")
    const stub = createRequire(path.join(dir, 'index.js'))('./api/getUser.js') as () => Promise<unknown>
    await expect(stub()).resolves.toMatchObject({ code: -1 })
  })

  it('never overwrites, refuses bad names and folders that are not a custom-interface function, and writes nothing then', () => {
    const dir = path.join(root, 'tcb-SignUp-api')
    scaffoldCustomApi({ dir, module: 'tcb:SignUp', apis: ['sendPrize'] })
    writeFileSync(path.join(dir, 'api', 'sendPrize.js'), 'mine')
    expect(() => addCustomApi({ dir, api: 'sendPrize' })).toThrow(/already exists/)
    expect(readFileSync(path.join(dir, 'api', 'sendPrize.js'), 'utf8')).toBe('mine')
    expect(() => addCustomApi({ dir, api: '../escape' })).toThrow(/not an interface name/)
    const other = path.join(root, 'other')
    mkdirSync(other)
    expect(() => addCustomApi({ dir: other, api: 'getUser' })).toThrow(/not a custom-interface function/)
    expect(readdirSync(other)).toEqual([])
    expect(readdirSync(path.join(dir, 'api'))).toEqual(['sendPrize.js'])
  })
})

describe('page-module create custom-api', () => {
  it('scaffolds from the command line and reports errors with exit code 1', async () => {
    const printed: string[] = []
    const output = { print: (line: string) => printed.push(line), printError: (line: string) => printed.push(`error: ${line}`) }
    const dir = path.join(root, 'apis')
    expect(await runCli(['create', 'custom-api', dir, '--module', 'tcb:SignUp', '--apis', 'sendPrize,getUser'], output)).toBe(0)
    expect(existsSync(path.join(dir, 'api', 'getUser.js'))).toBe(true)
    expect(await runCli(['create', 'custom-api', dir, '--module', 'tcb:SignUp', '--apis', 'sendPrize'], output)).toBe(1)
    expect(await runCli(['create', 'custom-api', path.join(root, 'b')], output)).toBe(1)
    expect(await runCli(['create', 'page', path.join(root, 'c'), '--module', 'tcb:SignUp', '--apis', 'a'], output)).toBe(1)
    expect(await runCli(['create', 'custom-api', dir, '--api', 'getPoints'], output)).toBe(0)
    expect(existsSync(path.join(dir, 'api', 'getPoints.js'))).toBe(true)
    expect(await runCli(['create', 'custom-api', dir, '--api', 'getPoints'], output)).toBe(1)
    expect(await runCli(['create', 'custom-api', dir, '--api', 'x', '--module', 'tcb:SignUp'], output)).toBe(1)
    expect(printed.filter((line) => line.startsWith('error: '))).toHaveLength(5)
  })
})
