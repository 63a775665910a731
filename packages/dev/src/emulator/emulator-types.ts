import type { IncomingMessage, ServerResponse } from 'node:http'
import type { InvocationOutcome } from './cloudbase/functions/function-pool'

/**
 * An extra route of the emulator: answers the request and resolves `true`, or resolves `false` to let the
 * next handler try. Mount one with `emulator.mount(handler)`.
 */
export type EmulatorHandler = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>

/** Who a call is made as. No openid: a server holding the environment's keys. */
export interface CallerIdentity {
  readonly openid?: string
  readonly appid?: string
  readonly unionid?: string
  /** `TCB_SOURCE` in the function, e.g. `wx_client`. */
  readonly source?: string
}

/** The result of one emulated invocation, with the platform's request id. */
export type EmulatedInvocation = InvocationOutcome & { readonly requestId: string }

/** Runs a function of the emulated environment as `identity` (what handlers such as WeChat's `tcb/invokecloudfunction` call). */
export type InvokeEmulatedFunction = (functionName: string, event: unknown, identity?: CallerIdentity) => Promise<EmulatedInvocation>

/** A key pair the emulator accepts; a function's own pair also carries its session token. */
export interface EmulatorCredential {
  readonly secretKey: string
  readonly functionName?: string
  readonly sessionToken?: string
}
