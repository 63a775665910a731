import { generateSm2KeyPair } from '@page-module/host/sm'

/**
 * `page-module keys sm2`: a fresh SM2 key pair for `page-module/sm`, as lines to print. The private key belongs
 * only in the module function's environment; the public key goes into client code.
 */
export function sm2KeyLines(): string[] {
  const { privateKey, publicKey } = generateSm2KeyPair()
  return [
    '# SM2 key pair for page-module/sm (SM2 C1C3C2 / SM4-CBC / HMAC-SM3).',
    '# The module function only, as an environment variable (config.json envVariables or the console):',
    `PAGE_MODULE_SM2_PRIVATE_KEY=${privateKey}`,
    "# Clients: new PageModule(id, { protection: smProtection({ publicKey: '…' }) })",
    `PAGE_MODULE_SM2_PUBLIC_KEY=${publicKey}`,
  ]
}
