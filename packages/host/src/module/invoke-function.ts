/** Calls another cloud function of the same environment and resolves with what it returned. */
export type InvokeFunction = (name: string, data: Record<string, unknown>) => Promise<unknown>

interface WxServerSdk {
  DYNAMIC_CURRENT_ENV: unknown
  init(config: { env: unknown }): void
  callFunction(options: { name: string; data: Record<string, unknown> }): Promise<{ result: unknown }>
}

/**
 * The default way a module reaches other functions: `wx-server-sdk` (an optional peer dependency, the
 * one every cloud function already has), initialised once for the function's own environment.
 */
export function createWxServerSdkInvoker(load: () => Promise<unknown> = () => import('wx-server-sdk')): InvokeFunction {
  let ready: Promise<WxServerSdk> | undefined
  return async (name, data) => {
    ready ??= load().then(
      (loaded) => {
        const cloud = ((loaded as { default?: unknown }).default ?? loaded) as WxServerSdk
        cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
        return cloud
      },
      (error: unknown) => {
        ready = undefined
        throw new Error(`calling another cloud function needs wx-server-sdk in the function's dependencies (${(error as Error).message})`)
      },
    )
    const cloud = await ready
    const { result } = await cloud.callFunction({ name, data })
    return result
  }
}
