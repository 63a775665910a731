import { parse, type Node } from 'acorn'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCloudDatabase } from './cloud-database'
import type { WeChatClient, WeChatRequest } from '../client/wechat-client'
import { encodeValue } from './query-encoder'
import { DatabaseCommand, DatabaseRegExp, GeoPoint, ServerDate } from './database-values'

/** A WeChatClient that records what it is asked to send and answers an empty success. */
function recordingClient(): { client: WeChatClient; sent: WeChatRequest[] } {
  const sent: WeChatRequest[] = []
  const client = {
    appId: 'wxtest',
    apiBaseUrl: 'http://127.0.0.1:9',
    tokens: {} as WeChatClient['tokens'],
    async call(request: WeChatRequest) {
      sent.push(request)
      return { errcode: 0, errmsg: 'ok', data: ['{"_id":"a"}'], id_list: ['a'], count: 0, deleted: 0, modified: 0 } as never
    },
    async callBinary() {
      throw new Error('not used')
    },
    async callWithoutToken() {
      throw new Error('not used')
    },
  } satisfies WeChatClient
  return { client, sent }
}

type AstNode = Node & Record<string, unknown>

const CHAIN_METHODS = new Set([
  'collection',
  'doc',
  'where',
  'orderBy',
  'skip',
  'limit',
  'field',
  'get',
  'count',
  'update',
  'set',
  'remove',
  'add',
])

/** The chain of one statement: its method names from `db.collection` on; throws unless it is exactly one call chain. */
function chainOf(statement: string): { methods: string[]; strings: string[] } {
  const program = parse(statement, { ecmaVersion: 2020 })
  expect(program.body).toHaveLength(1)
  const [only] = program.body
  expect(only!.type).toBe('ExpressionStatement')
  const methods: string[] = []
  let node = (only as unknown as { expression: AstNode }).expression
  const strings: string[] = []
  while (node.type === 'CallExpression') {
    const callee = node.callee as AstNode
    expect(callee.type).toBe('MemberExpression')
    const property = callee.property as AstNode
    expect(property.type).toBe('Identifier')
    methods.unshift(property.name as string)
    for (const argument of node.arguments as Node[]) collectStrings(argument, strings)
    node = callee.object as AstNode
  }
  expect(node.type).toBe('Identifier')
  expect((node as { name?: string }).name).toBe('db')
  expect(methods[0]).toBe('collection')
  for (const method of methods) expect(CHAIN_METHODS.has(method)).toBe(true)
  return { methods, strings }
}

/** Every string literal inside an argument; fails on anything that is not a literal, object, array or `_.op(…)` / `new Date(n)`. */
function collectStrings(node: Node, into: string[]): void {
  const typed = node as Node & Record<string, unknown>
  switch (node.type) {
    case 'Literal':
      if (typeof typed.value === 'string') into.push(typed.value)
      return
    case 'ObjectExpression':
      for (const property of typed.properties as Array<Record<string, Node>>) {
        expect(property.type).toBe('Property')
        expect((property as unknown as { computed: boolean }).computed).toBe(false)
        collectStrings(property.key!, into)
        collectStrings(property.value!, into)
      }
      return
    case 'ArrayExpression':
      for (const element of typed.elements as Node[]) collectStrings(element, into)
      return
    case 'UnaryExpression':
      expect(typed.operator).toBe('-')
      expect((typed.argument as Node).type).toBe('Literal')
      return
    case 'NewExpression':
    case 'CallExpression':
      for (const argument of typed.arguments as Node[]) collectStrings(argument, into)
      return
    default:
      throw new Error(`unexpected ${node.type} in an argument`)
  }
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    'x"}).remove();db.collection("y',
    "x').remove();db.collection('y",
    '\u2028});db.collection("a").remove()//',
    '${process.exit()}',
    '*/).remove()/*',
  ),
)

describe('the query encoder', () => {
  it('sends exactly one chain and every string unchanged, whatever the strings hold (property)', async () => {
    const { client, sent } = recordingClient()
    const db = createCloudDatabase({ env: 'test', client })
    const _ = db.command
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (value, field, id) => {
        sent.length = 0
        const todos = db.collection('todos')
        await todos.add({ data: { name: value, [`k${field}`]: [value] } })
        await todos
          .where({ name: value, tag: _.in([value, field]), note: _.or(_.eq(id), _.neq(value)) })
          .orderBy(field || 'a', 'desc')
          .get()
        await todos.doc(id || 'id').update({ data: { name: value, count: _.inc(1) } })
        await todos.doc(id || 'id').remove()
        expect(sent).toHaveLength(4)
        for (const [index, request] of sent.entries()) {
          const { strings, methods } = chainOf((request.body as { query: string }).query)
          expect(methods.filter((method) => ['get', 'add', 'update', 'remove', 'count', 'set'].includes(method))).toHaveLength(1)
          if (index < 3) expect(strings).toContain(value)
        }
        expect(chainOf((sent[1]!.body as { query: string }).query).strings).toContain(field || 'a')
        expect(chainOf((sent[3]!.body as { query: string }).query).strings).toContain(id || 'id')
      }),
      { numRuns: 300 },
    )
  })

  it('encodes each type as its typed literal', () => {
    const _ = createCloudDatabase({ env: 'test', client: recordingClient().client }).command
    expect(encodeValue('a\u2028b')).toBe('"a\\u2028b"')
    expect(encodeValue(-0)).toBe('0')
    expect(encodeValue(new Date(5))).toBe('new Date(5)')
    expect(encodeValue(/a.b/i)).toBe('db.RegExp({regexp:"a.b",options:"i"})')
    expect(encodeValue(new DatabaseRegExp('^x', 'ms'))).toBe('db.RegExp({regexp:"^x",options:"ms"})')
    expect(encodeValue(new GeoPoint(113.5, 23))).toBe('new db.Geo.Point(113.5,23)')
    expect(encodeValue(new ServerDate())).toBe('db.serverDate()')
    expect(encodeValue(new ServerDate(-1000))).toBe('db.serverDate({offset:-1000})')
    expect(encodeValue({ age: _.gt(18).and(_.lt(65)), n: undefined })).toBe('{"age":_.and(_.gt(18),_.lt(65))}')
    expect(encodeValue({ total: _.aggregate.sum('$price') })).toBe('{"total":_.aggregate.sum("$price")}')
  })

  it.each([
    ['a key starting with $', { $where: 'sleep(1000)' }],
    ['__proto__', JSON.parse('{"__proto__":{"polluted":true}}') as unknown],
    ['NaN', { n: Number.NaN }],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
    ['a bigint', { n: 1n }],
    ['a function', { f: () => 1 }],
    ['a Map', { m: new Map() }],
    ['an invalid Date', { d: new Date(Number.NaN) }],
    ['a global regex flag', { r: /x/g }],
    ['an unknown command', { c: new DatabaseCommand('query', 'where', ['1']) }],
    ['a Geo.Point off the globe', { p: new GeoPoint(200, 0) }],
  ])('refuses %s before anything is sent', (_label, value) => {
    expect(() => encodeValue(value)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', requestSent: false }))
  })

  it('refuses a self-referencing object', () => {
    const looped: Record<string, unknown> = {}
    looped.self = looped
    expect(() => encodeValue(looped)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})

describe('the chain API', () => {
  it('validates names, strings and counts before sending', () => {
    const { client, sent } = recordingClient()
    const db = createCloudDatabase({ env: 'test', client })
    expect(() => db.collection('a").remove();//')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => db.collection('todos').where('{"a":1}' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => db.collection('todos').limit(1001)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => db.collection('todos').skip(-1)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => db.collection('todos').orderBy('a', 'up' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => db.collection('todos').doc('')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(sent).toHaveLength(0)
  })

  it('builds the statements the HTTP API documents', async () => {
    const { client, sent } = recordingClient()
    const db = createCloudDatabase({ env: 'test2-4a89da', client })
    await db.collection('geo').where({ done: true }).limit(10).skip(1).get()
    await db.collection('geo').aggregate().match({ done: true }).limit(5).end()
    expect(sent.map((request) => [request.path, request.body])).toEqual([
      ['/tcb/databasequery', { env: 'test2-4a89da', query: 'db.collection("geo").where({"done":true}).limit(10).skip(1).get()' }],
      ['/tcb/databaseaggregate', { env: 'test2-4a89da', query: 'db.collection("geo").aggregate().match({"done":true}).limit(5).end()' }],
    ])
  })
})
