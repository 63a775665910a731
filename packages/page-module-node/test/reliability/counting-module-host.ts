import { defineModule, type MethodContext } from '@page-module/host'

export interface WorkInput {
  /** Which call of the run: the answer carries it back, so a mixed-up answer is caught. */
  readonly call: number
  /** How long the method runs; long enough for a retry to find it still running. */
  readonly workMs?: number
}

/** A real module host (`defineModule`, memory idempotency store) whose one method counts its executions. */
export function createCountingModuleHost() {
  /** Executions per idempotency key, or per requestId for calls without one. */
  const executions = new Map<string, number>()
  const main = defineModule({
    id: 'tcb:Reliability',
    environment: () => ({}),
    log: () => undefined,
    methods: {
      async work(data: WorkInput, context: MethodContext) {
        const key = context.idempotencyKey ?? `request:${context.requestId}`
        executions.set(key, (executions.get(key) ?? 0) + 1)
        if (data.workMs !== undefined) await new Promise((resolve) => setTimeout(resolve, data.workMs))
        return { call: data.call }
      },
    },
  })
  return { main, executions }
}
