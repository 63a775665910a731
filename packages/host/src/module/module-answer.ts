const answerMarker = Symbol.for('page-module.module-answer')

export interface ModuleAnswerInit {
  readonly code: number
  readonly msg?: string
  readonly data?: unknown
}

/**
 * Throw from a method to answer `{ code, msg, data }` instead of success, e.g.
 * `throw moduleAnswer(1001, 'already signed in today')`. Business codes are positive integers.
 */
export function moduleAnswer(code: number, msg?: string, data?: unknown): Error {
  if (!Number.isInteger(code) || code <= 0) {
    throw new TypeError(
      `moduleAnswer: code must be a positive integer (got ${String(code)}); 0 is success and negative codes are PageModule's own`,
    )
  }
  const error = new Error(msg ?? `module answered ${code}`)
  const answer: ModuleAnswerInit = { code, ...(msg === undefined ? {} : { msg }), ...(data === undefined ? {} : { data }) }
  Object.defineProperty(error, answerMarker, { value: answer })
  return error
}

/** The answer carried by an error from `moduleAnswer`, even one made by another copy of this package. */
export function moduleAnswerOf(value: unknown): ModuleAnswerInit | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  return (value as { [answerMarker]?: ModuleAnswerInit })[answerMarker]
}
