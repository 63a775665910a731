import { sm2 } from 'sm-crypto-v2'
import { describe, expect, it } from 'vitest'
import { runCli } from './index'

async function run(argv: string[]) {
  const printed: string[] = []
  const errors: string[] = []
  const code = await runCli(argv, { print: (line) => printed.push(line), printError: (line) => errors.push(line) })
  return { code, printed, errors }
}

describe('page-module keys sm2', () => {
  it('prints a fresh SM2 key pair whose public key belongs to its private key', async () => {
    const first = await run(['keys', 'sm2'])
    expect(first.code).toBe(0)
    const value = (name: string) => first.printed.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1) ?? ''
    const privateKey = value('PAGE_MODULE_SM2_PRIVATE_KEY')
    const publicKey = value('PAGE_MODULE_SM2_PUBLIC_KEY')
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/)
    expect(publicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(sm2.getPublicKeyFromPrivateKey(privateKey)).toBe(publicKey)
    const second = await run(['keys', 'sm2'])
    expect(second.printed).not.toEqual(first.printed)
  })

  it('refuses another kind', async () => {
    const result = await run(['keys', 'rsa'])
    expect(result.code).toBe(1)
    expect(result.errors.join('\n')).toMatch(/unknown key kind rsa — page-module keys sm2/)
  })
})
