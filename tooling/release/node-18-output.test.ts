import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse, type Node } from 'acorn'
import { beforeAll, describe, expect, it } from 'vitest'

/**
 * The packages that run inside cloud functions keep `engines.node` ">=18": SCF runtimes still offer Node 16 and 18.
 * No Node 18 binary can be installed here, so their built output is held to what Node 18 runs: ES2022 syntax (V8 10.2;
 * the RegExp `v` flag, ES2024, is Node 20), and none of the Node ≥ 20 APIs below unless read as an optional feature.
 */
const repositoryRoot = path.resolve(import.meta.dirname, '../..')
const cloudFunctionBuilds: Record<string, readonly string[]> = {
  core: ['dist'],
  host: ['dist'],
  wechat: ['dist', 'bin'],
  'page-module-node': ['dist'],
  // page-module's Node builds and its `sm` entry; dist/miniprogram is ES2015 (test/miniprogram-bundle.test.ts).
  'page-module': ['dist/node', 'dist/sm'],
}
/** `object.property` names that Node 18 lacks (Node version that added them in the comment). */
const node20Apis = new Map<string, string>([
  ['toSorted', 'Array.prototype.toSorted (20)'],
  ['toReversed', 'Array.prototype.toReversed (20)'],
  ['toSpliced', 'Array.prototype.toSpliced (20)'],
  ['isWellFormed', 'String.prototype.isWellFormed (20)'],
  ['toWellFormed', 'String.prototype.toWellFormed (20)'],
  ['groupBy', 'Object.groupBy / Map.groupBy (21)'],
  ['withResolvers', 'Promise.withResolvers (22)'],
  ['fromAsync', 'Array.fromAsync (22)'],
  ['symmetricDifference', 'Set methods (22)'],
  ['isSubsetOf', 'Set methods (22)'],
  ['isSupersetOf', 'Set methods (22)'],
  ['isDisjointFrom', 'Set methods (22)'],
  ['getBuiltinModule', 'process.getBuiltinModule (22)'],
  ['styleText', 'util.styleText (21)'],
  ['loadEnvFile', 'process.loadEnvFile (21)'],
  ['globSync', 'fs.globSync (22)'],
  ['openAsBlob', 'fs.openAsBlob (19)'],
  ['dirname', 'import.meta.dirname (20.11)'],
  ['filename', 'import.meta.filename (20.11)'],
  ['hash', 'crypto.hash (20.12)'],
])
/** Objects whose generic property names (`hash`, `dirname`) are the Node ≥ 20 API, not a field of the package's own data. */
const apiObjects: Record<string, readonly string[]> = { hash: ['crypto', 'node_crypto'], dirname: ['meta'], filename: ['meta'] }

function builtFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? walk(full) : /\.(c|m)?js$/.test(name) ? [full] : []
    })
  return Object.entries(cloudFunctionBuilds).flatMap(([folder, dirs]) =>
    dirs.map((dir) => path.join(repositoryRoot, 'packages', folder, dir)).flatMap(walk),
  )
}

function parseAsNode18(file: string): Node {
  return parse(readFileSync(file, 'utf8'), {
    ecmaVersion: 2022,
    sourceType: file.endsWith('.cjs') || file.endsWith('.js') ? 'script' : 'module',
    allowHashBang: true,
    allowReturnOutsideFunction: file.endsWith('.cjs'),
  })
}

interface Use {
  api: string
  /** The use is `const x = object.api`, a read that the code then checks for undefined. */
  readIntoVariable: boolean
}

function node20ApisUsedIn(ast: Node): Use[] {
  const uses: Use[] = []
  const visit = (node: unknown, parent: unknown): void => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) return node.forEach((child) => visit(child, parent))
    const current = node as {
      type?: string
      computed?: boolean
      object?: { type: string; name?: string; property?: { name: string } }
      property?: { name?: string }
    }
    if (current.type === 'MemberExpression' && !current.computed && current.property?.name && node20Apis.has(current.property.name)) {
      const name = current.property.name
      const objectName = current.object?.type === 'MetaProperty' ? 'meta' : current.object?.name
      const objects = apiObjects[name]
      if (!objects || (objectName !== undefined && objects.includes(objectName))) {
        const holder = parent as { type?: string; init?: unknown }
        uses.push({ api: node20Apis.get(name)!, readIntoVariable: holder?.type === 'VariableDeclarator' && holder.init === node })
      }
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'type' && value && typeof value === 'object') visit(value, node)
  }
  visit(ast, undefined)
  return uses
}

let files: string[] = []
beforeAll(() => {
  for (const folder of Object.keys(cloudFunctionBuilds)) {
    if (!existsSync(path.join(repositoryRoot, 'packages', folder, 'dist')))
      throw new Error(`packages/${folder}/dist is missing: run \`pnpm build\` first (the verify script does)`)
  }
  files = builtFiles()
})

describe('the built output of the packages that run in cloud functions runs on Node 18', () => {
  it('declares node >=18 in those packages, >=20 in @page-module/dev (developer machines only)', () => {
    const engines = (folder: string) =>
      (JSON.parse(readFileSync(path.join(repositoryRoot, 'packages', folder, 'package.json'), 'utf8')) as { engines: { node: string } })
        .engines.node
    expect(Object.fromEntries(Object.keys(cloudFunctionBuilds).map((folder) => [folder, engines(folder)]))).toEqual(
      Object.fromEntries(Object.keys(cloudFunctionBuilds).map((folder) => [folder, '>=18'])),
    )
    expect(engines('dev')).toBe('>=20')
  })

  it('the parser at ES2022 refuses syntax that only Node 20 parses (the RegExp v flag)', () => {
    expect(() => parse('const letters = /[\\p{L}--[a-z]]/v', { ecmaVersion: 2022 })).toThrow(/Invalid regular expression flag/)
    expect(() => parse('const letters = /[\\p{L}--[a-z]]/v', { ecmaVersion: 2024 })).not.toThrow()
  })

  it('every built file parses as ES2022', () => {
    expect(files.length).toBeGreaterThan(30)
    const failures = files.flatMap((file) => {
      try {
        parseAsNode18(file)
        return []
      } catch (error) {
        return [`${path.relative(repositoryRoot, file)}: ${(error as Error).message}`]
      }
    })
    expect(failures).toEqual([])
  })

  it('uses no Node ≥ 20 API, except read into a variable as an optional feature', () => {
    const direct = files.flatMap((file) =>
      node20ApisUsedIn(parseAsNode18(file))
        .filter((use) => !use.readIntoVariable)
        .map((use) => `${path.relative(repositoryRoot, file)}: ${use.api}`),
    )
    expect(direct).toEqual([])
    const optional = new Set(files.flatMap((file) => node20ApisUsedIn(parseAsNode18(file)).map((use) => use.api)))
    expect([...optional]).toEqual(['crypto.hash (20.12)'])
  })

  it('the optional crypto.hash: signing without it (Node < 20.12) gives the same signature', () => {
    const sign = `const signed = require('./dist/index.cjs').signCanonicalRequest({
      canonicalRequest: 'POST\\n/admin\\n\\ncontent-type:application/json\\nhost:127.0.0.1\\n\\ncontent-type;host\\n' + 'a'.repeat(700),
      timestamp: 1764470000, secretId: 'AKIDexample', secretKey: 'example-secret-key',
      signedParams: [], signedHeaders: ['content-type', 'host'] })
      process.stdout.write(JSON.stringify({ oneShot: typeof require('node:crypto').hash, signature: signed.signature }))`
    const run = (prelude: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['-e', `${prelude}\n${sign}`], {
          cwd: path.join(repositoryRoot, 'packages/page-module-node'),
          encoding: 'utf8',
        }),
      ) as { oneShot: string; signature: string }
    const withHash = run('')
    const withoutHash = run("delete require('node:crypto').hash")
    expect([withHash.oneShot, withoutHash.oneShot]).toEqual(['function', 'undefined'])
    expect(withoutHash.signature).toMatch(/^[0-9a-f]{64}$/)
    expect(withoutHash.signature).toBe(withHash.signature)
  })
})
