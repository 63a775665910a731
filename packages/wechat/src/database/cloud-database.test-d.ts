import { describe, expectTypeOf, it } from 'vitest'
import { createCloudDatabase } from './cloud-database'

interface Todo {
  title: string
  done: boolean
  priority: number
  owner: { name: string }
}

const db = createCloudDatabase({ env: 'e', appId: 'wx', appSecret: 's' })
const _ = db.command
const todos = db.collection<Todo>('todos')

describe('db.collection<T>() types', () => {
  it('types the results', () => {
    expectTypeOf(todos.where({ done: true }).get()).resolves.toEqualTypeOf<{
      readonly data: Array<Todo & { readonly _id: string }>
      readonly errMsg: string
    }>()
    expectTypeOf(todos.doc('id').get()).resolves.toHaveProperty('data').toEqualTypeOf<Todo & { readonly _id: string }>()
    expectTypeOf(todos.count()).resolves.toHaveProperty('total').toBeNumber()
  })

  it('checks where, update and add against T', () => {
    todos.where({ priority: _.gt(1), owner: { name: 'ann' }, 'owner.name': 'bob' })
    // @ts-expect-error done is a boolean
    todos.where({ done: 'yes' })
    // @ts-expect-error no such field
    todos.where({ titel: 'x' })
    todos.doc('id').update({ data: { priority: _.inc(1), title: 'new' } })
    // @ts-expect-error priority is a number
    todos.doc('id').update({ data: { priority: 'high' } })
    todos.add({ data: { title: 't', done: false, priority: 1, owner: { name: 'ann' } } })
    // @ts-expect-error owner is missing
    todos.add({ data: { title: 't', done: false, priority: 1 } })
    // @ts-expect-error where takes an object, never a string
    todos.where('{"done":true}')
  })
})
