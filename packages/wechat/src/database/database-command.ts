import { AGGREGATE_OPERATORS, DatabaseCommand, QUERY_OPERATORS, UPDATE_OPERATORS } from './database-values'
import type { AggregateOperator, QueryOperator, UpdateOperator } from './database-values'

type QueryCommands = { readonly [K in QueryOperator]: (...operands: unknown[]) => DatabaseCommand<'query'> }
type UpdateCommands = { readonly [K in Exclude<UpdateOperator, 'set' | 'remove'>]: (...operands: unknown[]) => DatabaseCommand<'update'> }

/** `db.command` (`_`): query, update and aggregation commands, as `wx-server-sdk` names them. */
export type DatabaseCommands = QueryCommands &
  UpdateCommands & {
    /** Replaces the field with exactly this value (an object is not merged). */
    set(value: unknown): DatabaseCommand<'update'>
    /** Deletes the field. */
    remove(): DatabaseCommand<'update'>
    readonly aggregate: { readonly [K in AggregateOperator]: (...operands: unknown[]) => DatabaseCommand<'aggregate'> }
  }

export function createDatabaseCommand(): DatabaseCommands {
  const commands: Record<string, unknown> = {}
  for (const operator of QUERY_OPERATORS) commands[operator] = (...operands: unknown[]) => new DatabaseCommand('query', operator, operands)
  // `min`/`max` exist as both; as a field command they are the update operators.
  for (const operator of UPDATE_OPERATORS)
    commands[operator] = (...operands: unknown[]) => new DatabaseCommand('update', operator, operands)
  commands.aggregate = Object.fromEntries(
    AGGREGATE_OPERATORS.map((operator) => [operator, (...operands: unknown[]) => new DatabaseCommand('aggregate', operator, operands)]),
  )
  return commands as unknown as DatabaseCommands
}
