import { createCancellation, type CallEnvelope, type MethodMap, type MethodMapOf } from '@page-module/core'
import { createFakeTransport, type FakeHandlers, type FakeTransport } from '@page-module/core/testing'
import type { CallFunctionParam, CallFunctionResult, WxCloudLike } from '../wx-cloud'

export { moduleAnswer, type FakeHandler, type FakeHandlers } from '@page-module/core/testing'

/** A `wx.cloud` for tests: answers like a deployed PageModule module, and records every call. */
export interface FakeWxCloud<Methods extends MethodMapOf<Methods> = MethodMap> extends WxCloudLike {
  /** Every `callFunction` parameter, in order. */
  readonly calls: CallFunctionParam[]
  /** The module behind it (implement more methods with `module.on`, inject failures with `module.failNext`). */
  readonly module: FakeTransport<Methods>
  /** The next `callFunction` rejects with this value, as the platform would (e.g. `{ errCode, errMsg }`). */
  rejectNext(failure: unknown): this
}

/**
 * Builds a `wx.cloud` whose `callFunction` answers like a PageModule module, for `new PageModule(id, { wx: { cloud } })`
 * or as `wx.cloud` in miniprogram-simulate tests.
 *
 * @example
 * const cloud = createFakeWxCloud({ doSignIn: () => ({ streak: 1, signedToday: true }) })
 * const signUp = new PageModule('tcb:SignUp', { wx: { cloud } })
 */
export function createFakeWxCloud<Methods extends MethodMapOf<Methods> = MethodMap>(
  handlers: FakeHandlers<Methods> = {},
): FakeWxCloud<Methods> {
  const module = createFakeTransport<Methods>(handlers)
  const rejections: unknown[] = []
  let invocation = 0
  const cloud: FakeWxCloud<Methods> = {
    calls: [],
    module,
    rejectNext(failure) {
      rejections.push(failure)
      return cloud
    },
    async callFunction(param): Promise<CallFunctionResult> {
      cloud.calls.push(param)
      invocation += 1
      if (rejections.length > 0) throw rejections.shift()
      const envelope = param.data as unknown as CallEnvelope
      const { body } = await module.send({
        functionName: param.name,
        envelope,
        attempt: 1,
        signal: createCancellation().signal,
        timeout: 15_000,
      })
      return { result: body, errMsg: 'cloud.callFunction:ok', requestID: `fake-${invocation}` }
    },
  }
  return cloud
}
