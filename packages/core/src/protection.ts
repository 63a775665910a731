/** The parts of a call a protection binds its sealed data to. */
export interface ProtectedCall {
  readonly module: string
  readonly method: string
  readonly requestId: string
  /** The envelope's `timestamp`. */
  readonly timestamp: number
  readonly data: unknown
}

/** One call's data as sealed for the envelope, and how to open the data of the module's `code: 0` answer. */
export interface SealedCall {
  /** Sent as the envelope's `data`. */
  readonly data: unknown
  /** Opens the answer's `data`; throws a `PageModuleError` when it cannot be trusted. */
  open(answerData: unknown): unknown
}

/**
 * Protects the `data` of each call and of its answer end to end (`page-module/sm`). `seal` runs once per call,
 * before the first attempt; every retry sends the same sealed data.
 */
export interface CallProtection {
  readonly name: string
  seal(call: ProtectedCall): Promise<SealedCall>
}
