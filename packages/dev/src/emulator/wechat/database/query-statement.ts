import { parse, type Node } from 'acorn'
import { QUERY_OPERATORS, UPDATE_OPERATORS } from '@page-module/wechat/database'
import { CommandValue, ServerDateValue } from './statement-values'

/** One call of the statement's chain, its arguments turned into values. */
export interface StatementCall {
  readonly method: string
  readonly args: readonly unknown[]
}

/** A `query` statement read into data: `db.collection(<name>)` and the calls chained on it. */
export interface ParsedStatement {
  readonly collection: string
  readonly calls: readonly StatementCall[]
}

/** The statement is outside what the emulator reads; nothing of it runs. */
export class StatementRefused extends Error {}

const CHAIN_METHODS = new Set([
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
  'aggregate',
  'end',
  'addFields',
  'bucket',
  'group',
  'lookup',
  'match',
  'project',
  'replaceRoot',
  'sample',
  'sort',
  'sortByCount',
  'unwind',
])
const COMMANDS = new Set<string>([...QUERY_OPERATORS, ...UPDATE_OPERATORS])
const AGGREGATE_COMMAND = /^[a-zA-Z]{1,32}$/
const REGEXP_FLAGS = /^[ims]*$/

type AstNode = Node & Record<string, unknown>

/**
 * Reads a `tcb/database*` statement with a JavaScript parser into an allow-listed call chain and literal values.
 * Nothing is evaluated: anything but a literal, `new Date(…)`, `db.serverDate/RegExp/Geo.Point` or a `db.command`
 * call is refused, as is every second statement.
 */
export function parseStatement(source: string): ParsedStatement {
  let program: AstNode
  try {
    program = parse(source, { ecmaVersion: 2022, sourceType: 'script' }) as unknown as AstNode
  } catch (error) {
    throw new StatementRefused(`the query is not valid JavaScript: ${(error as Error).message}`)
  }
  const body = program.body as AstNode[]
  if (body.length !== 1 || body[0]!.type !== 'ExpressionStatement') {
    throw new StatementRefused('the query must be exactly one expression: db.collection(…)…')
  }
  const calls: StatementCall[] = []
  let node = body[0]!.expression as AstNode
  while (node.type === 'CallExpression') {
    const callee = node.callee as AstNode
    if (callee.type !== 'MemberExpression' || callee.computed || (callee.property as AstNode).type !== 'Identifier') {
      throw refused(node, 'a call in the chain')
    }
    const method = (callee.property as AstNode).name as string
    calls.unshift({ method, args: (node.arguments as AstNode[]).map(literalValue) })
    node = callee.object as AstNode
  }
  if (node.type !== 'Identifier' || node.name !== 'db') throw refused(node, 'the start of the chain (db)')
  const [first, ...rest] = calls
  if (first?.method !== 'collection' || first.args.length !== 1 || typeof first.args[0] !== 'string') {
    throw new StatementRefused('the query must start with db.collection("<name>")')
  }
  for (const call of rest) if (!CHAIN_METHODS.has(call.method)) throw new StatementRefused(`.${call.method}() is not a database method`)
  return { collection: first.args[0], calls: rest }
}

function literalValue(node: AstNode): unknown {
  switch (node.type) {
    case 'Literal':
      return literal(node)
    case 'UnaryExpression': {
      const argument = node.argument as AstNode
      if ((node.operator === '-' || node.operator === '+') && argument.type === 'Literal' && typeof argument.value === 'number') {
        return node.operator === '-' ? -argument.value : argument.value
      }
      throw refused(node, 'a value')
    }
    case 'ArrayExpression':
      return (node.elements as Array<AstNode | null>).map((element) => {
        if (element === null || element.type === 'SpreadElement') throw refused(node, 'an array')
        return literalValue(element)
      })
    case 'ObjectExpression':
      return objectValue(node)
    case 'TemplateLiteral':
      if ((node.expressions as AstNode[]).length === 0) return ((node.quasis as AstNode[])[0]!.value as { cooked: string }).cooked
      throw refused(node, 'a value')
    case 'NewExpression':
    case 'CallExpression':
      return constructed(node)
    default:
      throw refused(node, 'a value')
  }
}

function literal(node: AstNode): unknown {
  const regex = node.regex as { pattern: string; flags: string } | undefined
  if (regex !== undefined) return regExp(regex.pattern, regex.flags, node)
  if (typeof node.value === 'bigint') throw refused(node, 'a value')
  return node.value
}

function objectValue(node: AstNode): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const property of node.properties as AstNode[]) {
    if (property.type !== 'Property' || property.kind !== 'init' || property.computed || property.method || property.shorthand) {
      throw refused(property, 'an object property')
    }
    const key = property.key as AstNode
    const name = key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : undefined
    if (name === undefined || name === '__proto__' || name.startsWith('$')) {
      throw refused(key, 'an object key (keys starting with $ and __proto__ are refused: use db.command)')
    }
    result[name] = literalValue(property.value as AstNode)
  }
  return result
}

function constructed(node: AstNode): unknown {
  const args = node.arguments as AstNode[]
  if (args.some((argument) => argument.type === 'SpreadElement')) throw refused(node, 'a call')
  const callee = node.callee as AstNode
  // `_.gt(1).and(_.lt(5))`: a command chained on a command.
  if (node.type === 'CallExpression' && callee.type === 'MemberExpression' && (callee.object as AstNode).type === 'CallExpression') {
    const base = literalValue(callee.object as AstNode)
    const method = (callee.property as AstNode).name
    if (!(base instanceof CommandValue) || callee.computed || (method !== 'and' && method !== 'or')) throw refused(node, 'a command')
    return new CommandValue(method, [base, ...args.map(literalValue)], false)
  }
  const path = memberPath(callee)
  const name = path?.join('.')
  if (node.type === 'NewExpression') {
    if (name === 'Date') return dateValue(args, node)
    if (name === 'db.Geo.Point') return geoPoint(args, node)
    throw refused(node, 'a constructor (new Date and new db.Geo.Point only)')
  }
  if (name === 'db.Geo.Point') return geoPoint(args, node)
  if (name === 'db.serverDate') return serverDate(args, node)
  if (name === 'db.RegExp') {
    const options = args.length === 1 ? literalValue(args[0]!) : undefined
    const { regexp, options: flags = '' } = (options ?? {}) as { regexp?: unknown; options?: unknown }
    if (typeof regexp !== 'string' || typeof flags !== 'string') throw refused(node, 'db.RegExp({ regexp, options })')
    return regExp(regexp, flags, node)
  }
  if (path !== undefined) {
    const command = path[0] === '_' ? path.slice(1) : path[0] === 'db' && path[1] === 'command' ? path.slice(2) : undefined
    if (command?.length === 1 && COMMANDS.has(command[0]!)) return new CommandValue(command[0]!, args.map(literalValue), false)
    if (command?.length === 2 && command[0] === 'aggregate' && AGGREGATE_COMMAND.test(command[1]!)) {
      return new CommandValue(command[1]!, args.map(literalValue), true)
    }
  }
  throw refused(node, 'a call (db.command, db.serverDate, db.RegExp, db.Geo.Point only)')
}

function memberPath(node: AstNode): string[] | undefined {
  if (node.type === 'Identifier') return [node.name as string]
  if (node.type !== 'MemberExpression' || node.computed || (node.property as AstNode).type !== 'Identifier') return undefined
  const object = memberPath(node.object as AstNode)
  return object && [...object, (node.property as AstNode).name as string]
}

function dateValue(args: AstNode[], node: AstNode): Date {
  if (args.length === 0) return new Date()
  const value = args.length === 1 ? literalValue(args[0]!) : undefined
  if (typeof value !== 'number' && typeof value !== 'string') throw refused(node, 'new Date(<number or string>)')
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw refused(node, 'a valid date')
  return date
}

function geoPoint(args: AstNode[], node: AstNode): { type: 'Point'; coordinates: [number, number] } {
  const [longitude, latitude] = args.map(literalValue)
  if (
    args.length !== 2 ||
    typeof longitude !== 'number' ||
    typeof latitude !== 'number' ||
    Math.abs(longitude) > 180 ||
    Math.abs(latitude) > 90
  ) {
    throw refused(node, 'db.Geo.Point(<longitude>, <latitude>)')
  }
  return { type: 'Point', coordinates: [longitude, latitude] }
}

function serverDate(args: AstNode[], node: AstNode): ServerDateValue {
  if (args.length === 0) return new ServerDateValue(0)
  const options = args.length === 1 ? literalValue(args[0]!) : undefined
  const offset = (options as { offset?: unknown } | undefined)?.offset ?? 0
  if (typeof offset !== 'number' || !Number.isFinite(offset)) throw refused(node, 'db.serverDate({ offset: <milliseconds> })')
  return new ServerDateValue(offset)
}

function regExp(pattern: string, flags: string, node: AstNode): RegExp {
  if (!REGEXP_FLAGS.test(flags)) throw refused(node, 'regular expression flags (i, m and s only)')
  try {
    return new RegExp(pattern, flags)
  } catch {
    throw refused(node, 'a valid regular expression')
  }
}

function refused(node: AstNode, what: string): StatementRefused {
  return new StatementRefused(`the query has a ${node.type} at character ${node.start} where ${what} was expected — nothing was run`)
}
