import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { transform } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/emulator/start-emulator'
import { mountWeChatApi } from '../src/emulator/wechat/mount-wechat-api'

const root = path.resolve(import.meta.dirname, '../../..')
const functionsDir = path.join(import.meta.dirname, 'fixtures/cloudfunctions')
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'readme-env', log: () => {} })
})
afterAll(() => emulator.close())

/** The code block that follows the `database-example` marker in packages/wechat/README.md. */
function readmeExample(): string {
  const readme = readFileSync(path.join(root, 'packages/wechat/README.md'), 'utf8')
  const block = /<!-- database-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  if (block === undefined) throw new Error('the README lost its database example')
  return block
}

describe("packages/wechat/README.md's database example", () => {
  it('runs as written against the emulator (through the built @page-module/wechat)', async () => {
    const wechat = mountWeChatApi(emulator)
    Object.assign(process.env, {
      TCB_ENV: emulator.env,
      WECHAT_APPID: wechat.appId,
      WECHAT_SECRET: wechat.appSecret,
      WECHAT_API_BASE_URL: wechat.apiBaseUrl,
    })
    const { code } = await transform(readmeExample(), { loader: 'ts', format: 'esm' })
    // Beside this test, so `@page-module/wechat/database` resolves as it does for a user of the package.
    const file = path.join(import.meta.dirname, `.readme-example-${process.pid}.mjs`)
    writeFileSync(file, code)
    try {
      await import(file)
    } finally {
      rmSync(file, { force: true })
    }
    const todos = emulator.database.read('todos')
    expect(todos.map((todo) => todo.title).sort()).toEqual(['Buy milk', 'x"}).remove();db.collection("y'])
    expect(todos.find((todo) => todo.title === 'Buy milk')).toMatchObject({
      priority: 3,
      tags: ['home', 'errand'],
      doneAt: expect.any(Date),
    })
  })
})
