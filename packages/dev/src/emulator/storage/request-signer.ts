import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Signs and checks the emulator's upload tickets and temporary URLs with a key made for this run. */
export interface RequestSigner {
  sign(...parts: ReadonlyArray<string | number>): string
  verify(signature: string, ...parts: ReadonlyArray<string | number>): boolean
}

export function createRequestSigner(key: Buffer = randomBytes(32)): RequestSigner {
  const sign = (...parts: ReadonlyArray<string | number>) =>
    createHmac('sha256', key)
      .update(parts.map((part) => String(part)).join('\n'))
      .digest('hex')
  return {
    sign,
    verify(signature, ...parts) {
      const expected = Buffer.from(sign(...parts))
      const given = Buffer.from(signature)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
