import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { createWeChatClient } from '@page-module/wechat'
import { createCloudDatabase, type CloudDatabase } from '@page-module/wechat/database'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../start-emulator'
import { mountWeChatApi, type MountedWeChatApi } from '../mount-wechat-api'

const functionsDir = path.join(import.meta.dirname, '../../../../test/fixtures/cloudfunctions')
const dataDir = mkdtempSync(path.join(tmpdir(), 'page-module-db-http-'))
let emulator: Emulator
let wechat: MountedWeChatApi
let db: CloudDatabase

interface Todo {
  title: string
  done: boolean
  priority: number
  tags: string[]
  owner?: { name: string }
  due?: Date
}

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir, env: 'db-env', dataDir, log: () => {} })
  wechat = mountWeChatApi(emulator)
  db = createCloudDatabase({ env: emulator.env, appId: wechat.appId, appSecret: wechat.appSecret }, { apiBaseUrl: wechat.apiBaseUrl })
})
afterAll(async () => {
  await emulator.close()
  rmSync(dataDir, { recursive: true, force: true })
})
beforeEach(() => {
  emulator.database.clear()
  emulator.database.createCollection('todos')
})

async function seedTodos(count: number) {
  const todos = db.collection<Todo>('todos')
  const ids: string[] = []
  for (let index = 0; index < count; index += 1) {
    const { _id } = await todos.add({
      data: { title: `todo ${index}`, done: index % 2 === 0, priority: index, tags: index < 3 ? ['a'] : ['b'] },
    })
    ids.push(_id)
  }
  return ids
}

describe('/tcb/database* on the emulator, through createCloudDatabase', () => {
  it('adds and reads back with where, orderBy, skip, limit and field', async () => {
    await seedTodos(6)
    const _ = db.command
    const { data } = await db
      .collection<Todo>('todos')
      .where({ done: true, priority: _.gte(1) })
      .orderBy('priority', 'desc')
      .skip(1)
      .limit(1)
      .field({ title: true })
      .get()
    expect(data).toEqual([{ _id: expect.any(String), title: 'todo 2' }])
    expect(await db.collection('todos').where({ tags: 'a' }).count()).toMatchObject({ total: 3 })
    expect(
      await db
        .collection('todos')
        .where({ priority: _.in([1, 5]).or(_.eq(3)) })
        .count(),
    ).toMatchObject({ total: 3 })
    expect(
      await db
        .collection('todos')
        .where(_.or([{ priority: 0 }, { title: 'todo 5' }]))
        .count(),
    ).toMatchObject({ total: 2 })
  })

  it('answers 10 records when the statement names no limit', async () => {
    await seedTodos(12)
    expect((await db.collection('todos').get()).data).toHaveLength(10)
  })

  it('reads, sets, updates and removes one document', async () => {
    const [id] = await seedTodos(1)
    const todo = db.collection<Todo>('todos').doc(id!)
    expect((await todo.get()).data).toMatchObject({ _id: id, title: 'todo 0' })
    const _ = db.command
    expect(await todo.update({ data: { priority: _.inc(5), tags: _.push(['c']), owner: { name: 'ann' } } })).toMatchObject({
      stats: { updated: 1 },
    })
    expect((await todo.get()).data).toMatchObject({ priority: 5, tags: ['a', 'c'], owner: { name: 'ann' } })
    await todo.update({ data: { tags: _.pop(), 'owner.name': 'bob', done: _.remove() } })
    const updated = (await todo.get()).data
    expect(updated).toMatchObject({ tags: ['a'], owner: { name: 'bob' } })
    expect(updated).not.toHaveProperty('done')
    expect(await todo.set({ data: { title: 'replaced', done: false, priority: 0, tags: [] } })).toMatchObject({
      _id: id,
      stats: { updated: 1, created: 0 },
    })
    expect((await todo.get()).data).toEqual({ _id: id, title: 'replaced', done: false, priority: 0, tags: [] })
    const created = await db
      .collection<Todo>('todos')
      .doc('fresh-id')
      .set({ data: { title: 'new', done: false, priority: 1, tags: [] } })
    expect(created).toMatchObject({ _id: 'fresh-id', stats: { created: 1 } })
    expect(await todo.remove()).toMatchObject({ stats: { removed: 1 } })
    await expect(todo.get()).rejects.toMatchObject({ code: 'DATABASE_DOCUMENT_NOT_FOUND' })
  })

  it('updates and removes by query', async () => {
    await seedTodos(4)
    const _ = db.command
    expect(
      await db
        .collection('todos')
        .where({ done: false })
        .update({ data: { priority: _.mul(10) } }),
    ).toMatchObject({ stats: { updated: 2 } })
    expect(
      (
        await db
          .collection<Todo>('todos')
          .where({ priority: _.gt(5) })
          .get()
      ).data
        .map((todo) => todo.priority)
        .sort(),
    ).toEqual([10, 30])
    expect(await db.collection('todos').where({ done: true }).remove()).toMatchObject({ stats: { removed: 2 } })
    expect(await db.collection('todos').count()).toMatchObject({ total: 2 })
  })

  it('keeps dates, server dates, regular expressions and Geo points', async () => {
    const before = Date.now()
    const { _id } = await db.collection('todos').add({
      data: {
        due: new Date(1_700_000_000_000),
        at: db.serverDate(),
        soon: db.serverDate({ offset: 60_000 }),
        where: db.Geo.Point(113.3, 23.1),
      },
    })
    const { data } = await db.collection('todos').doc(_id).get()
    expect(data.due).toEqual(new Date(1_700_000_000_000))
    expect((data.at as Date).getTime()).toBeGreaterThanOrEqual(before)
    expect((data.soon as Date).getTime() - (data.at as Date).getTime()).toBeGreaterThanOrEqual(59_000)
    expect(data.where).toEqual({ type: 'Point', coordinates: [113.3, 23.1] })
    await db.collection('todos').add({ data: { title: 'Buy Milk' } })
    expect(
      await db
        .collection('todos')
        .where({ title: db.RegExp({ regexp: '^buy', options: 'i' }) })
        .count(),
    ).toMatchObject({ total: 1 })
    expect(
      await db
        .collection('todos')
        .where({ due: db.command.lt(new Date(1_800_000_000_000)) })
        .count(),
    ).toMatchObject({ total: 1 })
    await expect(
      db
        .collection('todos')
        .where({ where: db.command.geoNear({ geometry: db.Geo.Point(113, 23) }) })
        .get(),
    ).rejects.toMatchObject({
      code: 'DATABASE_INVALID_QUERY',
      details: expect.objectContaining({ errcode: 40097 }),
    })
  })

  it('aggregates, the reply in canonical Extended JSON', async () => {
    await seedTodos(5)
    const $ = db.command.aggregate
    const { list } = await db
      .collection('todos')
      .aggregate()
      .match({ priority: db.command.gte(1) })
      .group({ _id: '$done', total: $.sum('$priority') })
      .sort({ _id: 1 })
      .end()
    expect(list).toEqual([
      { _id: false, total: 4 },
      { _id: true, total: 6 },
    ])
    const client = createWeChatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.apiBaseUrl })
    const raw = await client.call<{ data: string[] }>({
      path: '/tcb/databaseaggregate',
      body: { env: emulator.env, query: 'db.collection("todos").aggregate().match({priority:1}).project({priority:1}).end()' },
    })
    expect(raw.data).toHaveLength(1)
    expect(raw.data[0]).toContain('"priority":{"$numberInt":"1"}')
  })

  it('answers -502005 for a collection that does not exist, and manages collections', async () => {
    await expect(db.collection('nothing').get()).rejects.toMatchObject({
      code: 'DATABASE_COLLECTION_NOT_FOUND',
      details: expect.objectContaining({ errcode: -502005 }),
    })
    await db.createCollection('logs')
    const { collections, pager } = await db.listCollections()
    expect(collections.map((collection) => collection.name)).toEqual(['logs', 'todos'])
    expect(pager).toEqual({ offset: 0, limit: 10, total: 2 })
    await db.dropCollection('logs')
    expect(emulator.database.hasCollection('logs')).toBe(false)
  })

  it('round-trips arbitrary strings unchanged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (text) => {
        const { _id } = await db.collection('todos').add({ data: { title: text, list: [text] } })
        const { data } = await db.collection('todos').where({ title: text }).get()
        expect(data).toEqual([{ _id, title: text, list: [text] }])
        await db.collection('todos').doc(_id).remove()
      }),
      { numRuns: 40 },
    )
  })

  it('survives a restart: the data folder holds the collections', async () => {
    await seedTodos(2)
    const files = JSON.parse(readFileSync(path.join(dataDir, 'database', 'todos.json'), 'utf8')) as unknown[]
    expect(files).toHaveLength(2)
    const second = await startEmulator({ functionsDir, env: 'db-env', dataDir, log: () => {} })
    try {
      expect(second.database.read('todos').map((todo) => todo.title)).toEqual(['todo 0', 'todo 1'])
    } finally {
      await second.close()
    }
  })
})

describe('statements outside the allow-list', () => {
  const hostile = [
    'db.collection("todos").get();db.collection("todos").remove()',
    'db.collection("todos").where({title: process.exit(1)}).remove()',
    'db.collection("todos")["remove"]()',
    'db.collection("todos").where({$where: "1"}).remove()',
    'db.collection("todos").where({["__proto__"]: 1}).remove()',
    'db.collection("todos").where({a: globalThis}).remove()',
    'db.collection("todos").where({a: (() => 1)()}).remove()',
    'db.collection("todos").where({a: `${1}`}).remove()',
    'db.collection("todos").where({a: db.collection("todos").remove()}).remove()',
    'db.collection("todos").where({...{}}).remove()',
    'db.collection("todos").where({a: _.constructor("return 1")()}).remove()',
    'db.constructor.constructor("return process")().exit()',
    'this.db.collection("todos").remove()',
    'db.collection("todos").where({a: new Function("x")}).remove()',
    'db.collection("todos").where({a: /x/g}).remove()',
  ]
  it.each(hostile)('refuses %s with errcode 40097 and runs nothing', async (query) => {
    const ids = await seedTodos(2)
    const client = createWeChatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.apiBaseUrl })
    const endpoint = query.endsWith('exit()') ? '/tcb/databasequery' : '/tcb/databasedelete'
    await expect(client.call({ path: endpoint, body: { env: emulator.env, query } })).rejects.toMatchObject({
      details: expect.objectContaining({ errcode: 40097 }),
    })
    expect(emulator.database.read('todos').map((todo) => todo._id)).toEqual(ids)
  })

  it('refuses a statement that does not end as its endpoint requires', async () => {
    await seedTodos(1)
    const client = createWeChatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.apiBaseUrl })
    await expect(
      client.call({ path: '/tcb/databasequery', body: { env: emulator.env, query: 'db.collection("todos").remove()' } }),
    ).rejects.toMatchObject({ details: expect.objectContaining({ errcode: 40097 }) })
    expect(emulator.database.read('todos')).toHaveLength(1)
  })

  it('accepts the documented example statement as written', async () => {
    emulator.database.seed('geo', [
      { _id: 'b1', done: true, name: 'test' },
      { _id: 'b2', done: true, name: 'two' },
    ])
    const client = createWeChatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.apiBaseUrl })
    // The databaseQuery doc page's example request (unquoted keys, limit before skip).
    const reply = await client.call({
      path: '/tcb/databasequery',
      body: { env: emulator.env, query: "db.collection('geo').where({done:true}).limit(10).skip(1).get()" },
    })
    expect(reply).toEqual({
      errcode: 0,
      errmsg: 'ok',
      pager: { Offset: 1, Limit: 10, Total: 2 },
      data: ['{"_id":"b2","done":true,"name":"test"}'.replace('test', 'two')],
    })
  })
})
