import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../start-emulator'

const functionsDir = path.join(import.meta.dirname, '../../../../test/fixtures/cloudfunctions')
const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-db-admin-'))
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'db-admin-env', dataDir, log: () => {}, maxInstances: 2 })
})
afterAll(async () => {
  await emulator.close()
  rmSync(dataDir, { recursive: true, force: true })
})
beforeEach(() => emulator.database.clear())

function nodeSdkDatabase() {
  const app = tcb.init({
    env: emulator.env,
    secretId: emulator.secretId,
    secretKey: emulator.secretKey,
    serviceUrl: `${emulator.url}/admin`,
  })
  return app.database()
}

describe('@cloudbase/node-sdk app.database() against the emulator, unchanged', () => {
  it('adds, queries, counts, updates, sets, removes and aggregates', async () => {
    const db = nodeSdkDatabase()
    const _ = db.command
    await db.createCollection('todos')
    const todos = db.collection('todos')
    const ids: string[] = []
    for (let index = 0; index < 5; index += 1) {
      const added = (await todos.add({ title: `todo ${index}`, done: index % 2 === 0, priority: index, tags: ['a'] })) as { id: string }
      ids.push(added.id)
    }
    expect(emulator.database.read('todos')).toHaveLength(5)
    const page = await todos
      .where({ done: true, priority: _.gte(1) })
      .orderBy('priority', 'desc')
      .skip(1)
      .limit(1)
      .field({ title: true })
      .get()
    expect(page.data).toEqual([{ _id: ids[2], title: 'todo 2' }])
    expect((await todos.where({ done: false }).count()).total).toBe(2)
    const before = Date.now()
    expect((await todos.doc(ids[1]!).update({ priority: _.inc(10), tags: _.push(['b']), at: db.serverDate() })).updated).toBe(1)
    const [updated] = (await todos.doc(ids[1]!).get()).data as Array<Record<string, unknown>>
    expect(updated).toMatchObject({ priority: 11, tags: ['a', 'b'] })
    expect((updated!.at as Date).getTime()).toBeGreaterThanOrEqual(before)
    const set = await todos.doc('fixed-id').set({ title: 'set', where: new db.Geo.Point(113.3, 23.1), due: new Date(1_700_000_000_000) })
    expect(set).toMatchObject({ upsertedId: 'fixed-id' })
    const stored = emulator.database.read('todos').find((todo) => todo._id === 'fixed-id')
    expect(stored).toEqual({
      _id: 'fixed-id',
      title: 'set',
      where: { type: 'Point', coordinates: [113.3, 23.1] },
      due: new Date(1_700_000_000_000),
    })
    expect((await todos.where({ title: db.RegExp({ regexp: '^TODO [34]', options: 'i' }) }).count()).total).toBe(2)
    const $ = _.aggregate
    const grouped = await todos
      .aggregate()
      .match({ priority: _.lt(5) })
      .group({ _id: '$done', total: $.sum('$priority') })
      .sort({ _id: 1 })
      .end()
    expect(grouped.data).toEqual([
      { _id: false, total: 3 },
      { _id: true, total: 6 },
    ])
    expect((await todos.where({ done: true }).update({ tags: _.addToSet('c') })).updated).toBe(3)
    expect((await todos.doc(ids[1]!).remove()).deleted).toBe(1)
    expect((await todos.where({ priority: _.gte(3) }).remove()).deleted).toBe(2)
    expect((await todos.count()).total).toBe(3)
  })

  it('answers a missing collection and transactions with clear errors', async () => {
    const db = nodeSdkDatabase()
    await expect(db.collection('nothing').get()).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' })
    await db.createCollection('todos')
    await expect(db.runTransaction(async () => {})).rejects.toMatchObject({
      message: expect.stringContaining('not supported by the emulator'),
    })
  })
})

describe("wx-server-sdk's cloud.database() inside an emulated function, unchanged", () => {
  it('runs the same scenario', async () => {
    emulator.database.createCollection('todos')
    const outcome = await emulator.invokeFunction('database', { collection: 'todos' })
    expect(outcome).toMatchObject({ ok: true })
    const seen = (outcome as { result: Record<string, unknown> }).result
    expect(seen).toMatchObject({
      idsAdded: 5,
      page: [{ title: 'todo 2' }],
      count: 2,
      update: { updated: 1 },
      afterUpdate: { priority: 11, tags: ['a', 'b'] },
      set: { created: 1 },
      afterSet: { _id: 'fixed-id', title: 'set' },
      regexp: 2,
      aggregate: [
        { _id: false, total: 3 },
        { _id: true, total: 6 },
      ],
      updateMany: { updated: 3 },
      remove: { removed: 1 },
      removeMany: { removed: 2 },
      left: 3,
    })
    expect(seen.transaction).toContain('not supported by the emulator')
    // wx-server-sdk maps the /admin code DATABASE_COLLECTION_NOT_EXIST to its errCode.
    expect(seen.missing).toBe('-502005')
  })
})
