import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, packageDir, packPublishedPackages } from './build-npm-project'

// TypeScript projects of users, compiled by tsc against the packed tarballs installed with npm: no @types/node in reach
// (the temporary folder has no node_modules/@types above it), as in the mini-program TypeScript template.
const tsc = path.join(packageDir, '../../node_modules/typescript/bin/tsc')
const userEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)))
let workDir = ''
let projectDir = ''

const methodMap = '{ doSignIn: { input: { day: string }; output: { streak: number } } }'
/** A consumer whose last lines fail to compile if the typings were `any`. */
const consumer = (importLine: string) => `${importLine}
const signUp = new PageModule<${methodMap}>('tcb:SignUp', { env: 'prod-1a2b', timeout: 5000 })
export const streak: Promise<number> = signUp.callMethod('doSignIn', { day: '2026-11-30' }).then((answer) => answer.streak)
// @ts-expect-error the method map types every call
void signUp.callMethod('doSignOut', {})
`
const imports = {
  'import-equals': "import PageModule = require('page-module')",
  named: "import { PageModule } from 'page-module'",
  default: "import PageModule from 'page-module'",
}

beforeAll(() => {
  assertBuilt()
  workDir = mkdtempSync(path.join(tmpdir(), 'page-module-typings-'))
  const tarballs = packPublishedPackages(mkdtempSync(path.join(workDir, 'tarballs-')))
  projectDir = path.join(workDir, 'project')
  mkdirSync(projectDir)
  writeFileSync(path.join(projectDir, 'package.json'), JSON.stringify({ name: 'typed-consumer', private: true }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', ...tarballs], {
    cwd: projectDir,
    stdio: 'pipe',
    env: userEnvironment,
  })
}, 180_000)

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

/** Compiles `source` (a file named `file`) with `options`; resolves with tsc's error codes and messages, [] when it compiles. */
function compile(file: string, source: string, options: Record<string, unknown>): string[] {
  const name = `${Object.values(options).join('-')}-${file}`.replace(/[^\w.-]/g, '_')
  const dir = path.join(projectDir, name.replace(/\.\w+$/, ''))
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, file), source)
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2017', ...options }, files: [file] }),
  )
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', stdio: 'pipe' })
    return []
  } catch (error) {
    const output = (error as { stdout: string }).stdout
    return [...output.matchAll(/error (TS\d+): ([^\n]*)/g)].map((match) => `${match[1]} ${match[2]}`)
  }
}

const node10 = { module: 'CommonJS', moduleResolution: 'node10' }

describe('page-module typings in a `module: commonjs`, `moduleResolution: node10` project without @types/node', () => {
  it.each(['import-equals', 'named'] as const)('%s import compiles with skipLibCheck, without esModuleInterop', (form) => {
    expect(compile('index.ts', consumer(imports[form]), { ...node10, skipLibCheck: true })).toEqual([])
  })

  it('a default import needs esModuleInterop (TS1259 without it)', () => {
    expect(compile('index.ts', consumer(imports.default), { ...node10, skipLibCheck: true })[0]).toMatch(
      /^TS1259 .*can only be default-imported using the 'esModuleInterop' flag/,
    )
    expect(compile('index.ts', consumer(imports.default), { ...node10, skipLibCheck: true, esModuleInterop: true })).toEqual([])
  })

  it('compiles without skipLibCheck too: the typings name no Node module (the agent option is structural)', () => {
    expect(compile('index.ts', consumer(imports.named), { ...node10, skipLibCheck: false })).toEqual([])
  })

  it("with a lib without DOM and without skipLibCheck, only the fetch option's RequestInit and Response are missing", () => {
    // The mini-program TypeScript setup: lib ES2020 (DOM clashes with miniprogram-api-typings), no @types/node.
    const errors = compile('index.ts', consumer(imports.named), { ...node10, lib: ['ES2020'], skipLibCheck: false })
    expect(errors.sort()).toEqual(["TS2304 Cannot find name 'RequestInit'.", "TS2304 Cannot find name 'Response'."])
    expect(compile('index.ts', consumer(imports.named), { ...node10, lib: ['ES2020'], skipLibCheck: true })).toEqual([])
  })
})

describe('page-module typings in a `module: node16` project without @types/node', () => {
  it.each([
    ['index.cts', imports['import-equals']],
    ['index.mts', imports.default],
    ['index.mts', imports.named],
  ])('%s: %s compiles with skipLibCheck', (file, importLine) => {
    expect(compile(file, consumer(importLine), { module: 'Node16', moduleResolution: 'Node16', skipLibCheck: true })).toEqual([])
  })
})
