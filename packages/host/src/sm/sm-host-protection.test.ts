import { PageModule, PageModuleError, type CallEnvelope, type ModuleResponse, type Transport } from '@page-module/core'
import { describe, expect, it, vi } from 'vitest'
import { defineModule } from '../module/define-module'
import { moduleAnswer } from '../module/module-answer'
import { generateSm2KeyPair } from './sm-keys'
import { smHostProtection, smProtection, type SealedRequest } from './index'

const keys = generateSm2KeyPair()
const otherKeys = generateSm2KeyPair()

/** A protected module, and a client whose transport calls its `main` in process and keeps every event and answer. */
function protectedModule(options: { maxClockSkewMs?: number } = {}) {
  const runs: unknown[] = []
  const log = vi.fn()
  const main = defineModule({
    id: 'tcb:Profile',
    environment: () => ({}),
    log,
    protection: smHostProtection({ privateKey: keys.privateKey, ...options }),
    methods: {
      save(data: { name: string; idCard: string }) {
        runs.push(data)
        return { saved: data.name }
      },
      refuse(data: { name: string }) {
        runs.push(data)
        throw moduleAnswer(1001, 'refused', { hint: data.name })
      },
      nothing() {
        runs.push('nothing')
      },
    },
  })
  const events: CallEnvelope[] = []
  const answers: ModuleResponse[] = []
  let rewriteEvent = (event: CallEnvelope): unknown => event
  let rewriteAnswer = (answer: ModuleResponse): unknown => answer
  const transport: Transport = {
    name: 'in-process',
    async send({ envelope }) {
      events.push(envelope)
      const answer = await main(JSON.parse(JSON.stringify(rewriteEvent(envelope))))
      answers.push(answer)
      return { body: rewriteAnswer(answer) }
    },
  }
  const client = (publicKey = keys.publicKey) =>
    new PageModule<{
      save: { input: { name: string; idCard: string }; output: { saved: string } }
      refuse: { input: { name: string }; output: never }
      nothing: { input: undefined; output: undefined }
    }>('tcb:Profile', { transport, retries: 0, protection: smProtection({ publicKey }) })
  return {
    main,
    runs,
    log,
    events,
    answers,
    client,
    rewriteEvent: (rewrite: (event: CallEnvelope) => unknown) => (rewriteEvent = rewrite),
    rewriteAnswer: (rewrite: (answer: ModuleResponse) => unknown) => (rewriteAnswer = rewrite),
  }
}

const person = { name: '李四', idCard: '11010519491231002X' }
const PLAINTEXT = /李四|11010519491231002X/

async function refusal(promise: Promise<unknown>): Promise<PageModuleError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(PageModuleError.isInstance(error)).toBe(true)
  return error as PageModuleError
}

describe('smProtection → defineModule({ protection: smHostProtection })', () => {
  it('runs the method on the opened data and opens its answer; neither event nor answer holds the plaintext', async () => {
    const module = protectedModule()
    await expect(module.client().callMethod('save', person)).resolves.toEqual({ saved: '李四' })
    expect(module.runs).toEqual([person])
    expect(JSON.stringify(module.events)).not.toMatch(PLAINTEXT)
    expect(JSON.stringify(module.answers)).not.toMatch(PLAINTEXT)
    expect(module.answers[0]).toMatchObject({ code: 0, data: { alg: 'SM2-C1C3C2/SM4-CBC-PKCS7/HMAC-SM3' } })
  })

  it('seals an answer without data too, so an answer stripped of its data is refused', async () => {
    const module = protectedModule()
    await expect(module.client().callMethod('nothing')).resolves.toBeUndefined()
    module.rewriteAnswer(({ code, requestId }) => ({ code, requestId }))
    expect((await refusal(module.client().callMethod('nothing'))).code).toBe('PROTECTION_FAILED')
  })

  it("seals a business refusal's data; the client gets the module's code", async () => {
    const module = protectedModule()
    const error = await refusal(module.client().callMethod('refuse', { name: '李四' }))
    expect([error.code, error.moduleCode]).toEqual(['MODULE_ERROR', 1001])
    expect(JSON.stringify(module.answers)).not.toMatch(PLAINTEXT)
  })

  it('refuses an unprotected call with PROTECTION_REQUIRED (-8) and runs nothing', async () => {
    const module = protectedModule()
    const plain = new PageModule('tcb:Profile', {
      retries: 0,
      transport: { name: 'in-process', send: async ({ envelope }) => ({ body: await module.main(envelope) }) },
    })
    const error = await refusal(plain.callMethod('save', person))
    expect([error.code, error.moduleCode]).toEqual(['PROTECTION_REQUIRED', -8])
    expect(error.message).toMatch(/smProtection\(\{ publicKey \}\)/)
    expect(module.runs).toEqual([])
  })

  it('refuses a call sealed for another public key with PROTECTION_FAILED (-9) and runs nothing', async () => {
    const module = protectedModule()
    const error = await refusal(module.client(otherKeys.publicKey).callMethod('save', person))
    expect([error.code, error.moduleCode]).toEqual(['PROTECTION_FAILED', -9])
    expect(module.runs).toEqual([])
    expect(module.log.mock.calls.join('\n')).not.toMatch(PLAINTEXT)
  })

  it('refuses every altered byte of the sealed data (each hex digit pair flipped in turn) and runs nothing', async () => {
    const module = protectedModule({ maxClockSkewMs: 60 * 60 * 1000 })
    await module.client().callMethod('save', person)
    const original = module.events[0] as CallEnvelope & { data: SealedRequest }
    // Another instance that never opened it: a failed open is not remembered, so each alteration meets the crypto.
    const other = protectedModule({ maxClockSkewMs: 60 * 60 * 1000 })
    let refused = 0
    for (const field of ['key', 'iv', 'ct', 'mac'] as const) {
      const value = original.data[field]
      for (let index = 0; index < value.length; index += 2) {
        const flipped = (parseInt(value.slice(index, index + 2), 16) ^ 0x01).toString(16).padStart(2, '0')
        const data = { ...original.data, [field]: value.slice(0, index) + flipped + value.slice(index + 2) }
        const answer = await other.main(JSON.parse(JSON.stringify({ ...original, data })))
        expect(answer.code, `${field}[${index / 2}]`).toBe(-9)
        refused++
      }
    }
    expect(other.runs).toEqual([])
    expect(refused).toBe((original.data.key.length + original.data.iv.length + original.data.ct.length + 64) / 2)
    expect(module.runs).toHaveLength(1)
  })

  it('refuses the sealed data of one call replayed into another call (other requestId, method or timestamp)', async () => {
    const module = protectedModule()
    await module.client().callMethod('save', person)
    const captured = module.events[0] as CallEnvelope
    // A fresh instance each time (same private key), so the MAC binding refuses it, not this instance's memory.
    for (const change of [{ requestId: 'another-call' }, { method: 'refuse' }, { timestamp: captured.timestamp + 1 }]) {
      const answer = await protectedModule().main(JSON.parse(JSON.stringify({ ...captured, ...change })))
      expect(answer.code, JSON.stringify(change)).toBe(-9)
      expect(answer.msg).toMatch(/HMAC-SM3 does not match/)
    }
    expect(module.runs).toHaveLength(1)
  })

  it('refuses the whole envelope replayed to the same instance, and a stale one', async () => {
    const module = protectedModule()
    await module.client().callMethod('save', person)
    const captured = JSON.parse(JSON.stringify(module.events[0])) as CallEnvelope
    expect(await module.main(captured)).toMatchObject({ code: -9, msg: expect.stringMatching(/already opened/) })
    const later = protectedModule()
    const stale = defineModule({
      id: 'tcb:Profile',
      environment: () => ({}),
      log: () => undefined,
      protection: smHostProtection({ privateKey: keys.privateKey, now: () => captured.timestamp + 10 * 60 * 1000 }),
      methods: { save: (data: unknown) => later.runs.push(data) },
    })
    expect(await stale(captured)).toMatchObject({ code: -9, msg: expect.stringMatching(/timestamp/) })
    expect([module.runs, later.runs]).toEqual([[person], []])
  })

  it('refuses a tampered answer on the client: PROTECTION_FAILED with requestSent, the data not returned', async () => {
    const module = protectedModule()
    module.rewriteAnswer((answer) => {
      const data = answer.data as { ct: string }
      return { ...answer, data: { ...data, ct: data.ct.replace(/^./, (digit) => (digit === '0' ? '1' : '0')) } }
    })
    const error = await refusal(module.client().callMethod('save', person))
    expect([error.code, error.requestSent]).toEqual(['PROTECTION_FAILED', true])
    expect(error.message).toMatch(/answer cannot be trusted/)
  })

  it('checks the opened data as the envelope check would: a `__proto__` key inside the ciphertext is refused (-3)', async () => {
    const module = protectedModule()
    const timestamp = Date.now()
    const sealed = await smProtection({ publicKey: keys.publicKey }).seal({
      module: 'tcb:Profile',
      method: 'save',
      requestId: 'req-proto',
      timestamp,
      data: JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}') as unknown,
    })
    const answer = await module.main({
      protocol: 'page-module/1',
      module: 'tcb:Profile',
      method: 'save',
      requestId: 'req-proto',
      timestamp,
      client: { name: 'test', version: '0' },
      data: sealed.data,
    })
    expect(answer).toMatchObject({ code: -3, msg: expect.stringMatching(/opened data/) })
    expect(module.runs).toEqual([])
  })

  it('a keyed call whose answer was lost is retried with the same envelope and gets the stored sealed answer', async () => {
    const module = protectedModule()
    let lost = 1
    const client = new PageModule<{ save: { input: { name: string; idCard: string }; output: { saved: string } } }>('tcb:Profile', {
      transport: {
        name: 'in-process',
        send: async ({ envelope }) => {
          module.events.push(envelope)
          const answer = await module.main(JSON.parse(JSON.stringify(envelope)))
          if (lost-- > 0) throw new PageModuleError({ code: 'NETWORK', retryable: true, requestSent: true, message: 'answer lost' })
          return { body: answer }
        },
      },
      retryDelay: () => 0,
      protection: smProtection({ publicKey: keys.publicKey }),
    })
    await expect(client.callMethod('save', person, { idempotencyKey: 'save-once' })).resolves.toEqual({ saved: '李四' })
    expect(module.events).toHaveLength(2)
    expect(module.events[1]).toBe(module.events[0])
    expect(module.runs).toEqual([person])
  })

  it('refuses bad keys and options before anything is sent', () => {
    expect(() => smProtection({ publicKey: 'not-a-key' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => smProtection({ publicKey: `04${'11'.repeat(64)}` })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => smHostProtection({ privateKey: keys.publicKey })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => new PageModule('tcb:Profile', { transport: { name: 't', send: vi.fn() }, protection: {} as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    )
  })
})
