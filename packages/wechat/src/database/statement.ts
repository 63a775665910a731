import { encodeCollectionName } from './query-encoder'

/** One call of a statement's chain, with its arguments already encoded by the query encoder. */
export interface StatementStep {
  readonly method: string
  readonly args: readonly string[]
}

/** `db.collection("todos").where({…}).limit(10).get()`: the only way statements are assembled. */
export function buildStatement(collection: string, steps: readonly StatementStep[]): string {
  return `db.collection(${encodeCollectionName(collection)})${steps.map((step) => `.${step.method}(${step.args.join(',')})`).join('')}`
}
