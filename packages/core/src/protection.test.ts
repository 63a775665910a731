import { describe, expect, it } from 'vitest'
import { PageModule } from './page-module'
import { PageModuleError } from './page-module-error'
import type { CallProtection, ProtectedCall } from './protection'
import type { Transport, TransportRequest } from './transport'

/** A protection that wraps data in a box and unwraps answers from one, recording what it saw. */
function boxing(): CallProtection & { sealed: ProtectedCall[]; opened: unknown[] } {
  const sealed: ProtectedCall[] = []
  const opened: unknown[] = []
  return {
    name: 'box',
    sealed,
    opened,
    async seal(call) {
      sealed.push(call)
      return {
        data: { box: call.data, for: call.requestId },
        open(answerData) {
          opened.push(answerData)
          const box = answerData as { box?: unknown } | undefined
          if (box === undefined || !('box' in box))
            throw new PageModuleError({ code: 'PROTECTION_FAILED', requestSent: true, message: 'no box' })
          return box.box
        },
      }
    },
  }
}

function echoTransport(failFirst = 0): Transport & { requests: TransportRequest[] } {
  const requests: TransportRequest[] = []
  return {
    name: 'echo',
    requests,
    async send(request) {
      requests.push(request)
      if (requests.length <= failFirst)
        throw new PageModuleError({ code: 'NETWORK', retryable: true, requestSent: false, message: 'connection refused' })
      const data = request.envelope.data as { box: unknown }
      return { body: { code: 0, data: { box: { echoed: data.box } }, requestId: request.envelope.requestId } }
    },
  }
}

describe('PageModule with a protection', () => {
  it('sends the sealed data, bound to the envelope it goes in, and resolves with the opened answer', async () => {
    const protection = boxing()
    const transport = echoTransport()
    const module = new PageModule('tcb:Profile', { transport, protection, now: () => 1_700_000_000_000 })
    await expect(module.callMethod('save', { name: 'x' })).resolves.toEqual({ echoed: { name: 'x' } })
    const envelope = transport.requests[0]?.envelope
    expect(envelope?.data).toEqual({ box: { name: 'x' }, for: envelope?.requestId })
    expect(protection.sealed).toEqual([
      { module: 'tcb:Profile', method: 'save', requestId: envelope?.requestId, timestamp: envelope?.timestamp, data: { name: 'x' } },
    ])
  })

  it('seals once per call: every retry sends the same sealed data', async () => {
    const protection = boxing()
    const transport = echoTransport(1)
    const module = new PageModule('tcb:Profile', { transport, protection, retryDelay: () => 0 })
    await module.callMethod('save', { n: 1 })
    expect(transport.requests).toHaveLength(2)
    expect(transport.requests[1]?.envelope).toBe(transport.requests[0]?.envelope)
    expect(protection.sealed).toHaveLength(1)
  })

  it('a seal that throws sends nothing: PROTECTION_FAILED with requestSent false and the call named', async () => {
    const transport = echoTransport()
    const failing: CallProtection = {
      name: 'broken',
      seal: () => Promise.reject(new TypeError('no key')),
    }
    const module = new PageModule('tcb:Profile', { transport, protection: failing })
    const error = (await module.callMethod('save', {}).catch((thrown: unknown) => thrown)) as PageModuleError
    expect(error).toMatchObject({ code: 'PROTECTION_FAILED', requestSent: false, module: 'tcb:Profile', method: 'save' })
    expect(error.message).toMatch(/the broken protection could not seal the data \(no key\) — nothing was sent/)
    expect(transport.requests).toEqual([])
  })

  it("an answer that does not open rejects with the protection's error (or PROTECTION_FAILED) and is not retried", async () => {
    const transport: Transport = {
      name: 'plain',
      send: async (request) => ({ body: { code: 0, data: 'clear', requestId: request.envelope.requestId } }),
    }
    const protection = boxing()
    const module = new PageModule('tcb:Profile', { transport, protection, retryDelay: () => 0 })
    // The box protection's `'box' in 'clear'` is a TypeError: core names it PROTECTION_FAILED, not a transport failure.
    await expect(module.callMethod('save', {})).rejects.toMatchObject({ code: 'PROTECTION_FAILED', requestSent: true })
    await expect(module.callMethod('save', {})).rejects.toThrow(/the box protection could not open the answer/)
    expect(protection.opened).toEqual(['clear', 'clear'])
  })
})
