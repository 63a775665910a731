import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DatabaseFault } from './database-fault'
import { openDocumentDatabase, type DocumentDatabase } from './document-database'

let folder: string
let database: DocumentDatabase

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'page-module-docdb-'))
  database = openDocumentDatabase(folder)
})
afterEach(() => rmSync(folder, { recursive: true, force: true }))

const faultOf = (work: () => unknown) => {
  try {
    work()
  } catch (error) {
    if (error instanceof DatabaseFault) return error.kind
    throw error
  }
  return undefined
}

describe('the emulator document database', () => {
  it('writes each collection to its own file, atomically, dates included, and reopens it', () => {
    database.seed('events', [{ _id: 'e1', at: new Date(1_700_000_000_000), tags: ['a'] }])
    database.update('events', { _id: 'e1' }, { $push: { tags: 'b' } }, { multi: false })
    expect(readdirSync(folder)).toEqual(['events.json'])
    expect(JSON.parse(readFileSync(path.join(folder, 'events.json'), 'utf8'))).toEqual([
      { _id: 'e1', at: { $date: '2023-11-14T22:13:20.000Z' }, tags: ['a', 'b'] },
    ])
    expect(openDocumentDatabase(folder).read('events')).toEqual([{ _id: 'e1', at: new Date(1_700_000_000_000), tags: ['a', 'b'] }])
  })

  it('answers the cloud faults: missing collection, duplicate _id, results over 1 MB', () => {
    expect(faultOf(() => database.find('nothing'))).toBe('COLLECTION_NOT_FOUND')
    database.seed('big', [{ _id: 'a' }])
    expect(faultOf(() => database.insert('big', [{ _id: 'a' }]))).toBe('DUPLICATE_ID')
    database.insert(
      'big',
      Array.from({ length: 3 }, (_, index) => ({ _id: `blob-${index}`, text: 'x'.repeat(400_000) })),
    )
    expect(faultOf(() => database.find('big'))).toBe('TOO_LARGE')
    expect(database.find('big', { limit: 2 })).toHaveLength(2)
  })

  it('refuses script operators and geospatial queries instead of running them', () => {
    database.seed('places', [{ _id: 'p', where: { type: 'Point', coordinates: [113, 23] } }])
    expect(faultOf(() => database.find('places', { filter: { $where: 'true' } }))).toBe('INVALID')
    expect(
      faultOf(() => database.aggregate('places', [{ $project: { x: { $function: { body: 'return 1', args: [], lang: 'js' } } } }])),
    ).toBe('INVALID')
    expect(
      faultOf(() => database.find('places', { filter: { where: { $near: { $geometry: { type: 'Point', coordinates: [0, 0] } } } } })),
    ).toBe('UNSUPPORTED')
  })

  it('counts matched and modified apart, and upserts', () => {
    database.seed('todos', [
      { _id: 'a', done: true },
      { _id: 'b', done: false },
    ])
    expect(database.update('todos', {}, { $set: { done: true } }, { multi: true })).toEqual({ matched: 2, modified: 1 })
    expect(database.update('todos', { _id: 'c' }, { $set: { done: false } }, { multi: false, upsert: true })).toEqual({
      matched: 0,
      modified: 0,
      upsertedId: 'c',
    })
    expect(database.replace('todos', 'a', { title: 'replaced' }, { upsert: false })).toEqual({ matched: 1, modified: 1 })
    expect(database.read('todos')).toEqual([
      { _id: 'a', title: 'replaced' },
      { _id: 'b', done: true },
      { _id: 'c', done: false },
    ])
  })
})
