import { randomBytes } from 'node:crypto'

/** A fresh key pair for a local emulator: `AKIDlocal…` and 32 random hex characters. Never valid in the cloud. */
export function createLocalCredentials(): { secretId: string; secretKey: string } {
  return { secretId: `AKIDlocal${randomBytes(8).toString('hex')}`, secretKey: randomBytes(16).toString('hex') }
}

export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('hex')
}
