// The emulator with WeChat's HTTP API and a seeded `todos` collection, in a process of its own (forked by the bench)
// so that the database's work does not share the client's event loop.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { mountWeChatApi, startEmulator } from '@page-module/dev'
import { closeOnDisconnect } from './close-on-disconnect.mjs'

const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-bench-db-functions-'))
const emulator = await startEmulator({ functionsDir, env: 'bench-env', log: () => undefined })
const wechat = mountWeChatApi(emulator)
emulator.database.seed(
  'todos',
  Array.from({ length: 200 }, (_, index) => ({ title: `todo ${index}`, done: index % 2 === 0, priority: index % 7, tags: ['bench'] })),
)
process.send?.({ apiBaseUrl: wechat.apiBaseUrl, appId: wechat.appId, appSecret: wechat.appSecret, env: emulator.env })
closeOnDisconnect(emulator, functionsDir)
