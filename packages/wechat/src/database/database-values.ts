/** The update operators of `db.command`, as the `_.<name>(…)` the query string names. */
export const UPDATE_OPERATORS = [
  'set',
  'remove',
  'inc',
  'mul',
  'push',
  'pop',
  'shift',
  'unshift',
  'addToSet',
  'pull',
  'pullAll',
  'min',
  'max',
  'rename',
] as const

/** The query operators of `db.command`. */
export const QUERY_OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'and',
  'or',
  'nor',
  'not',
  'exists',
  'all',
  'elemMatch',
  'size',
  'geoNear',
  'geoWithin',
  'geoIntersects',
] as const

/** The aggregation expression operators of `db.command.aggregate`, encoded `_.aggregate.<name>(…)`. */
export const AGGREGATE_OPERATORS = [
  'sum',
  'avg',
  'min',
  'max',
  'first',
  'last',
  'push',
  'addToSet',
  'count',
  'add',
  'subtract',
  'multiply',
  'divide',
  'mod',
  'abs',
  'ceil',
  'floor',
  'concat',
  'toLower',
  'toUpper',
  'size',
  'cond',
  'ifNull',
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'and',
  'or',
  'not',
  'in',
  'arrayElemAt',
  'dateToString',
  'year',
  'month',
  'dayOfMonth',
  'mergeObjects',
] as const

export type UpdateOperator = (typeof UPDATE_OPERATORS)[number]
export type QueryOperator = (typeof QUERY_OPERATORS)[number]
export type AggregateOperator = (typeof AGGREGATE_OPERATORS)[number]

/** `_.gt(18)`, `_.inc(1)`: a command the server applies, kept as its name and operands until it is encoded. */
export class DatabaseCommand<Kind extends 'query' | 'update' | 'aggregate' = 'query' | 'update' | 'aggregate'> {
  constructor(
    readonly kind: Kind,
    readonly operator: string,
    readonly operands: readonly unknown[],
  ) {}

  /** `_.gt(1).and(_.lt(9))`: both must hold (encoded `_.and(_.gt(1),_.lt(9))`). */
  and(this: DatabaseCommand<'query'>, ...others: DatabaseCommand<'query'>[]): DatabaseCommand<'query'> {
    return new DatabaseCommand('query', 'and', [this, ...others])
  }

  /** `_.lt(1).or(_.gt(9))`: either holds. */
  or(this: DatabaseCommand<'query'>, ...others: DatabaseCommand<'query'>[]): DatabaseCommand<'query'> {
    return new DatabaseCommand('query', 'or', [this, ...others])
  }
}

/** `db.serverDate({ offset })`: the server's clock when the statement runs, plus `offset` milliseconds. */
export class ServerDate {
  constructor(readonly offset: number = 0) {}
}

/** `db.RegExp({ regexp, options })`: a regular expression the server evaluates (flags `i`, `m`, `s`). */
export class DatabaseRegExp {
  constructor(
    readonly regexp: string,
    readonly options: string = '',
  ) {}
}

/** `db.Geo.Point(longitude, latitude)`, stored as GeoJSON `{ type: 'Point', coordinates: [lng, lat] }`. */
export class GeoPoint {
  constructor(
    readonly longitude: number,
    readonly latitude: number,
  ) {}

  toJSON(): { type: 'Point'; coordinates: [number, number] } {
    return { type: 'Point', coordinates: [this.longitude, this.latitude] }
  }
}
