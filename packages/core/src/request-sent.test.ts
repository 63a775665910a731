// `requestSent` is exact: every failure before anything reached the transport says `false` (a retry is safe), a
// timeout while a request may be in flight says nothing (undefined), and a TIMEOUT says when a retry is safe.
import { describe, expect, it } from 'vitest'
import { createFakeTransport } from './testing'
import { PageModule } from './page-module'
import { PageModuleError } from './page-module-error'
import type { Transport, TransportRequest } from './transport'

async function rejectionOf(promise: Promise<unknown>): Promise<PageModuleError> {
  try {
    await promise
  } catch (error) {
    if (PageModuleError.isInstance(error)) return error
    throw error
  }
  throw new Error('expected a rejection')
}

function recordingTransport(send: (request: TransportRequest) => Promise<never>): Transport & { seen: TransportRequest[] } {
  const seen: TransportRequest[] = []
  return { name: 'recording', seen, send: (request) => (seen.push(request), send(request)) }
}

const hang = () => new Promise<never>(() => undefined)

describe('requestSent: false for every failure before sending', () => {
  it.each([
    ['a bad module id', () => new PageModule('SignUp', { transport: createFakeTransport() })],
    ['options without a transport', () => new PageModule('tcb:SignUp', {} as never)],
    ['a bad timeout', () => new PageModule('tcb:SignUp', { transport: createFakeTransport(), timeout: -1 })],
  ])('%s (thrown by the constructor)', (_name, build) => {
    let thrown: unknown
    try {
      build()
    } catch (error) {
      thrown = error
    }
    expect(PageModuleError.isInstance(thrown) && thrown.requestSent).toBe(false)
  })

  it.each([
    ['a bad method name', (module: PageModule) => module.callMethod('', {})],
    ['data that cannot be JSON', (module: PageModule) => module.callMethod('doSignIn', { at: () => 1 })],
    ['a bad call option', (module: PageModule) => module.callMethod('doSignIn', {}, { retries: 1.5 })],
    ['a bad idempotency key', (module: PageModule) => module.callMethod('doSignIn', {}, { idempotencyKey: 'a b' })],
  ])('%s (rejected by callMethod)', async (_name, call) => {
    const transport = recordingTransport(hang)
    const error = await rejectionOf(call(new PageModule('tcb:SignUp', { transport })))
    expect(transport.seen).toHaveLength(0)
    expect(error.requestSent).toBe(false)
  })

  it('a signal aborted before the call: ABORTED, nothing sent', async () => {
    const transport = recordingTransport(hang)
    const controller = new AbortController()
    controller.abort()
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport }).callMethod('doSignIn', {}, { signal: controller.signal }))
    expect(transport.seen).toHaveLength(0)
    expect(error).toMatchObject({ code: 'ABORTED', requestSent: false })
  })

  it('a timeout while waiting to retry an attempt that never left: TIMEOUT with requestSent false', async () => {
    const transport = recordingTransport(() =>
      Promise.reject(new PageModuleError({ code: 'NETWORK', message: 'refused', retryable: true, requestSent: false })),
    )
    const module = new PageModule('tcb:SignUp', { transport, retries: 5, retryDelay: () => 60_000 })
    const error = await rejectionOf(module.callMethod('doSignIn', {}, { timeout: 30 }))
    expect(transport.seen).toHaveLength(1)
    expect(error).toMatchObject({ code: 'TIMEOUT', requestSent: false, retryable: true })
  })
})

describe('requestSent once a request may have left', () => {
  it('a middleware keeps the requestSent it gives, or leaves it unknown', async () => {
    const transport = recordingTransport(hang)
    const refuse = (requestSent?: boolean) => () =>
      Promise.reject(new PageModuleError({ code: 'FORBIDDEN_CALLER', message: 'no', requestSent }))
    const module = (requestSent?: boolean) =>
      new PageModule('tcb:SignUp', { transport, middleware: [{ name: 'gate', phase: 'call', handle: refuse(requestSent) }] })
    expect((await rejectionOf(module(false).callMethod('doSignIn', {}))).requestSent).toBe(false)
    expect((await rejectionOf(module().callMethod('doSignIn', {}))).requestSent).toBeUndefined()
    expect(transport.seen).toHaveLength(0)
  })

  it('a timeout while the transport holds the request: unknown (undefined), retryable, safe only with an idempotency key', async () => {
    const transport = recordingTransport(hang)
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, retries: 0 }).callMethod('doSignIn', {}, { timeout: 20 }))
    expect(transport.seen).toHaveLength(1)
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true })
    expect(error.requestSent).toBeUndefined()
    expect(error.message).toContain('it may have run: retry only with an idempotencyKey')
  })

  it('a transport that says the request left keeps requestSent true', async () => {
    const transport = recordingTransport(() =>
      Promise.reject(new PageModuleError({ code: 'NETWORK', message: 'reset', retryable: true, requestSent: true })),
    )
    const error = await rejectionOf(new PageModule('tcb:SignUp', { transport, retries: 0 }).callMethod('doSignIn', {}))
    expect(error).toMatchObject({ code: 'NETWORK', requestSent: true })
  })
})
