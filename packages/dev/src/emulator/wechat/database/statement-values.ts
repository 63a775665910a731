/** `_.gt(1)`, `_.inc(1)`, `_.aggregate.sum("$x")` read from a statement: the operator and its literal operands. */
export class CommandValue {
  constructor(
    readonly operator: string,
    readonly operands: readonly unknown[],
    readonly aggregate: boolean,
  ) {}
}

/** `db.serverDate({ offset })` read from a statement; the time is taken when the statement runs. */
export class ServerDateValue {
  constructor(readonly offset: number) {}
}
