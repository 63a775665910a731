import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseStored, stringifyStored } from './stored-json'

export type StoredRecord = Record<string, unknown> & { _id: string }

/** Collection names are checked against this before they become a file name. */
export const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,128}$/

/** One JSON file per collection (`<name>.json`) in the database folder, each replaced atomically (write, then rename). */
export interface CollectionFiles {
  loadAll(): Map<string, StoredRecord[]>
  save(name: string, records: readonly StoredRecord[]): void
  delete(name: string): void
  clear(): void
}

export function openCollectionFiles(folder: string): CollectionFiles {
  mkdirSync(folder, { recursive: true })
  const fileOf = (name: string) => {
    if (!COLLECTION_NAME.test(name)) throw new Error(`not a collection name: ${JSON.stringify(name)}`)
    return path.join(folder, `${name}.json`)
  }
  return {
    loadAll() {
      const collections = new Map<string, StoredRecord[]>()
      for (const entry of readdirSync(folder)) {
        const name = entry.endsWith('.json') ? entry.slice(0, -'.json'.length) : ''
        if (!COLLECTION_NAME.test(name)) continue
        collections.set(name, parseStored(readFileSync(path.join(folder, entry), 'utf8')) as StoredRecord[])
      }
      return collections
    },
    save(name, records) {
      const file = fileOf(name)
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
      writeFileSync(temporary, stringifyStored(records))
      renameSync(temporary, file)
    },
    delete(name) {
      rmSync(fileOf(name), { force: true })
    },
    clear() {
      for (const entry of readdirSync(folder))
        if (entry.endsWith('.json') || entry.endsWith('.tmp')) rmSync(path.join(folder, entry), { force: true })
    },
  }
}
