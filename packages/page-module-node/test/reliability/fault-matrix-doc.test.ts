import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { markedSection, replaceMarkedSection } from '../../../page-module/test/reliability/marked-section'
import { FAULTS } from './fault-catalog'

const DOC = path.resolve(import.meta.dirname, '../../../../docs/reliability.md')
const SECTION = 'fault-matrix'

function matrix(): string {
  const lines = [
    '| fault | what the server does | the function ran | the caller sees | retried by core |',
    '| --- | --- | --- | --- | --- |',
  ]
  for (const fault of FAULTS) {
    const sees = fault.outcome.kind === 'answer' ? "the module's answer" : `\`${fault.outcome.code}\``
    const retried = fault.outcome.kind === 'answer' ? '—' : fault.outcome.retryable ? 'only with an idempotency key' : 'no'
    lines.push(`| \`${fault.kind}\` | ${fault.description} | ${fault.runsHost ? 'yes' : 'no'} | ${sees} | ${retried} |`)
  }
  return lines.join('\n')
}

describe('docs/reliability.md', () => {
  it('shows the fault matrix the 1000-call test checks (UPDATE_RELIABILITY_DOC=1 rewrites it)', () => {
    if (process.env.UPDATE_RELIABILITY_DOC === '1') writeFileSync(DOC, replaceMarkedSection(readFileSync(DOC, 'utf8'), SECTION, matrix()))
    expect(markedSection(readFileSync(DOC, 'utf8'), SECTION)).toBe(matrix())
  })
})
