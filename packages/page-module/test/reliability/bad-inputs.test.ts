import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { codeForModuleAnswer, isPageModuleError } from '@page-module/core'
import { createFakeTransport } from '@page-module/core/testing'
import { createFakeWxCloud } from '@page-module/mp/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BAD_INPUT_CASES, type BadInputCase, type Probes } from './bad-input-cases'
import { markedSection, replaceMarkedSection } from './marked-section'

const DOC = path.resolve(import.meta.dirname, '../../../../docs/reliability.md')
const SECTION = 'bad-inputs'

let server: http.Server
let arrivals = 0
let customApiDir: string

beforeAll(async () => {
  server = http.createServer((request, response) => {
    arrivals += 1
    response.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  customApiDir = mkdtempSync(path.join(tmpdir(), 'bad-input-custom-api-'))
  mkdirSync(path.join(customApiDir, 'api'))
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(customApiDir, { recursive: true, force: true })
})

function createProbes(): Probes & { sent(): number } {
  const transport = createFakeTransport({ doSignIn: () => ({ streak: 1 }) })
  const wxCloud = createFakeWxCloud({ doSignIn: () => ({ streak: 1 }) })
  const fetched: unknown[] = []
  const ran = { count: 0 }
  const fetch = (async (...parameters: unknown[]) => {
    fetched.push(parameters)
    return new Response('{}')
  }) as typeof globalThis.fetch
  const { port } = server.address() as AddressInfo
  return {
    transport,
    wxCloud,
    fetch,
    ran,
    customApiDir,
    serviceUrl: `http://127.0.0.1:${port}/admin`,
    sent: () => transport.calls.length + wxCloud.calls.length + fetched.length + ran.count,
  }
}

/** The error a case throws or rejects with, or the error a host's answer stands for. */
async function outcomeOf(
  badInput: BadInputCase,
  probes: Probes,
): Promise<{ code: string; message: string; typed: boolean; requestSent?: boolean | undefined }> {
  try {
    const result = await badInput.run(probes)
    // A host answers instead of throwing: a module's { code, msg, requestId }, a custom-interface router's { code, msg }.
    const answer = result as { code?: unknown; msg?: unknown } | null
    if (typeof answer?.code === 'number' && answer.code !== 0)
      return { code: codeForModuleAnswer(answer.code), message: String(answer.msg ?? ''), typed: true }
    return { code: 'no error', message: JSON.stringify(result) ?? '', typed: false }
  } catch (error) {
    return isPageModuleError(error)
      ? { code: error.code, message: error.message, typed: true, requestSent: error.requestSent }
      : { code: `not a PageModuleError: ${String(error)}`, message: '', typed: false }
  }
}

/** A case on the receiving side (a host's answer, core's parseEnvelope), where `requestSent` has no meaning. */
function isHostAnswer(badInput: BadInputCase): boolean {
  return badInput.package === '@page-module/host' || badInput.entry.startsWith('parseEnvelope')
}

/** Messages carry the call's random requestId; the doc shows a placeholder. */
function stableMessage(message: string): string {
  return message.replace(/\b[0-9a-z]{6,12}-[0-9a-z]{12}\b/g, '<requestId>')
}

function tableOf(rows: ReadonlyArray<{ badInput: BadInputCase; message: string }>): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
  const lines = ['| package | entry | bad input | code | message |', '| --- | --- | --- | --- | --- |']
  for (const { badInput, message } of rows) {
    lines.push(
      `| \`${badInput.package}\` | \`${cell(badInput.entry)}\` | ${cell(badInput.input)} | \`${badInput.code}\` | ` +
        `${cell(stableMessage(message))} |`,
    )
  }
  return lines.join('\n')
}

describe('bad input at every public entry', () => {
  const rows: Array<{ badInput: BadInputCase; message: string }> = []

  it.each(BAD_INPUT_CASES.map((badInput) => [`${badInput.package} ${badInput.entry}: ${badInput.input}`, badInput] as const))(
    '%s',
    async (_name, badInput) => {
      const probes = createProbes()
      const before = arrivals
      const outcome = await outcomeOf(badInput, probes)
      expect(outcome.typed, outcome.code).toBe(true)
      expect(outcome.code).toBe(badInput.code)
      expect(probes.sent()).toBe(0)
      expect(arrivals - before).toBe(0)
      // Raised before anything left: the error says so exactly (not on the receiving side, where it has no meaning).
      if (outcome.requestSent !== undefined || !isHostAnswer(badInput)) expect(outcome.requestSent).toBe(false)
      rows.push({ badInput, message: outcome.message })
    },
  )

  it('docs/reliability.md lists every case with the message it gets (UPDATE_RELIABILITY_DOC=1 rewrites it)', () => {
    expect(rows).toHaveLength(BAD_INPUT_CASES.length)
    const table = tableOf(
      BAD_INPUT_CASES.map((badInput) => rows.find((row) => row.badInput === badInput) as { badInput: BadInputCase; message: string }),
    )
    const doc = readFileSync(DOC, 'utf8')
    if (process.env.UPDATE_RELIABILITY_DOC === '1') writeFileSync(DOC, replaceMarkedSection(doc, SECTION, table))
    expect(markedSection(readFileSync(DOC, 'utf8'), SECTION)).toBe(table)
  })
})
