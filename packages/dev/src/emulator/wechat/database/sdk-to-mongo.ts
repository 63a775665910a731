import { DatabaseFault } from '../../database/database-fault'
import type { MongoObject } from '../../database/document-database'
import { CommandValue, ServerDateValue } from './statement-values'

const COMPARISONS: Readonly<Record<string, string>> = {
  eq: '$eq',
  neq: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
  in: '$in',
  nin: '$nin',
  exists: '$exists',
  all: '$all',
  size: '$size',
}
const LOGIC = new Set(['and', 'or', 'nor'])
const GEO = new Set(['geoNear', 'geoWithin', 'geoIntersects'])

/**
 * Turns the SDK's query and update forms (nested objects, `db.command` calls, `db.serverDate()`) into MongoDB's, as
 * `wx-server-sdk` does before sending: nested objects become dotted paths, `_.gt(1)` becomes `{ $gt: 1 }`.
 */
export function createSdkTranslator(now: () => number) {
  function value(input: unknown): unknown {
    if (input instanceof ServerDateValue) return new Date(now() + input.offset)
    if (input instanceof CommandValue) throw new DatabaseFault('INVALID', `_.${input.operator}() is not allowed here`)
    if (Array.isArray(input)) return input.map(value)
    if (isPlainObject(input)) return Object.fromEntries(Object.entries(input).map(([key, inner]) => [key, value(inner)]))
    return input
  }

  function operands(command: CommandValue): unknown[] {
    // `_.or([a, b])` and `_.or(a, b)` mean the same.
    return command.operands.length === 1 && Array.isArray(command.operands[0]) ? command.operands[0] : [...command.operands]
  }

  function filter(input: unknown): MongoObject {
    if (input instanceof CommandValue) {
      if (!LOGIC.has(input.operator)) throw new DatabaseFault('INVALID', `where(_.${input.operator}(…)) needs a field`)
      return { [`$${input.operator}`]: operands(input).map(filter) }
    }
    if (!isPlainObject(input)) throw new DatabaseFault('INVALID', 'where() takes an object')
    const clauses: MongoObject[] = []
    const equalities: MongoObject = {}
    const walk = (object: Record<string, unknown>, prefix: string) => {
      for (const [key, inner] of Object.entries(object)) {
        const path = prefix ? `${prefix}.${key}` : key
        if (inner instanceof CommandValue) clauses.push(fieldCondition(path, inner))
        else if (isPlainObject(inner) && Object.keys(inner).length > 0) walk(inner, path)
        else equalities[path] = value(inner)
      }
    }
    walk(input, '')
    if (clauses.length === 0) return equalities
    return { $and: [equalities, ...clauses] }
  }

  function operatorExpression(command: CommandValue): MongoObject {
    if (command.aggregate) throw new DatabaseFault('INVALID', `_.aggregate.${command.operator}() belongs in an aggregation`)
    if (GEO.has(command.operator)) {
      throw new DatabaseFault('UNSUPPORTED', `_.${command.operator}() (a geospatial query) is not supported by the emulator`)
    }
    const mongo = COMPARISONS[command.operator]
    if (mongo !== undefined) return { [mongo]: value(command.operands[0]) }
    if (command.operator === 'elemMatch') {
      const [condition] = command.operands
      return { $elemMatch: condition instanceof CommandValue ? operatorExpression(condition) : filter(condition) }
    }
    if (command.operator === 'not') {
      const [condition] = command.operands
      if (!(condition instanceof CommandValue)) throw new DatabaseFault('INVALID', '_.not() takes a command')
      return { $not: operatorExpression(condition) }
    }
    throw new DatabaseFault('INVALID', `_.${command.operator}() is not a query command`)
  }

  function fieldCondition(path: string, command: CommandValue): MongoObject {
    if (LOGIC.has(command.operator)) {
      const parts = operands(command).map((operand) =>
        operand instanceof CommandValue ? fieldCondition(path, operand) : { [path]: value(operand) },
      )
      return { [`$${command.operator}`]: parts }
    }
    return { [path]: operatorExpression(command) }
  }

  function update(data: unknown): MongoObject {
    if (!isPlainObject(data)) throw new DatabaseFault('INVALID', 'update({ data }) needs data to be an object')
    const modifier: Record<string, MongoObject> = {}
    const add = (operator: string, path: string, operand: unknown) => ((modifier[operator] ??= {})[path] = operand)
    const walk = (object: Record<string, unknown>, prefix: string) => {
      for (const [key, inner] of Object.entries(object)) {
        const path = prefix ? `${prefix}.${key}` : key
        if (path === '_id') throw new DatabaseFault('INVALID', 'an update cannot change _id')
        if (inner instanceof CommandValue) updateCommand(path, inner, add)
        else if (isPlainObject(inner) && Object.keys(inner).length > 0) walk(inner, path)
        else add('$set', path, value(inner))
      }
    }
    walk(data, '')
    return modifier
  }

  function updateCommand(path: string, command: CommandValue, add: (operator: string, path: string, operand: unknown) => void): void {
    const [operand] = command.operands
    switch (command.operator) {
      case 'set':
        return add('$set', path, value(operand))
      case 'remove':
        return add('$unset', path, '')
      case 'inc':
      case 'mul':
      case 'min':
      case 'max':
      case 'rename':
      case 'pullAll':
        return add(`$${command.operator}`, path, value(operand))
      case 'push':
        return add('$push', path, eachOf(operand))
      case 'addToSet':
        return add('$addToSet', path, isPlainObject(operand) && 'each' in operand ? eachOf(operand) : value(operand))
      case 'unshift':
        return add('$push', path, { $each: Array.isArray(operand) ? value(operand) : [value(operand)], $position: 0 })
      case 'pop':
        return add('$pop', path, 1)
      case 'shift':
        return add('$pop', path, -1)
      case 'pull':
        return add(
          '$pull',
          path,
          operand instanceof CommandValue ? operatorExpression(operand) : isPlainObject(operand) ? filter(operand) : value(operand),
        )
      default:
        throw new DatabaseFault('INVALID', `_.${command.operator}() is not an update command`)
    }
  }

  function eachOf(operand: unknown): MongoObject {
    if (Array.isArray(operand)) return { $each: value(operand) }
    if (isPlainObject(operand) && Array.isArray(operand.each)) {
      const modifier: MongoObject = { $each: value(operand.each) }
      if (operand.position !== undefined) modifier.$position = operand.position
      if (operand.slice !== undefined) modifier.$slice = operand.slice
      if (operand.sort !== undefined) modifier.$sort = operand.sort
      return modifier
    }
    return { $each: [value(operand)] }
  }

  /** Aggregation stage arguments: `_.aggregate.sum("$x")` → `{ $sum: "$x" }`; `match` takes a query. */
  function stage(name: string, argument: unknown): MongoObject {
    return name === 'match' ? { $match: filter(argument) } : { [`$${name}`]: expression(argument) }
  }

  function expression(input: unknown): unknown {
    if (input instanceof CommandValue) {
      if (!input.aggregate) throw new DatabaseFault('INVALID', `_.${input.operator}() is not an aggregation expression (use _.aggregate.*)`)
      const args = input.operands.map(expression)
      return { [`$${input.operator}`]: args.length === 1 ? args[0] : args }
    }
    if (input instanceof ServerDateValue) return new Date(now() + input.offset)
    if (Array.isArray(input)) return input.map(expression)
    if (isPlainObject(input)) return Object.fromEntries(Object.entries(input).map(([key, inner]) => [key, expression(inner)]))
    return input
  }

  return { value, filter, update, stage }
}

export type SdkTranslator = ReturnType<typeof createSdkTranslator>

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}
