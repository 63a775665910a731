#!/usr/bin/env node
// The published shape of the package in the current folder: publint --strict, attw on the packed
// tarball (workspace: ranges replaced as on publish), the tarball's LICENSE and manifest, the metadata npm needs for
// provenance, and require() + import() of every export.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const packageDir = process.cwd()
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'))
const root = path.resolve(import.meta.dirname, '../..')
const problems = []

const { messages } = await publint({ pkgDir: packageDir, strict: true, level: 'suggestion' })
for (const message of messages) problems.push(`publint: ${formatMessage(message, manifest)}`)

// npm refuses to publish with provenance unless the manifest names the repository it was built from.
if (manifest.publishConfig?.provenance === true) {
  const missing = ['license', 'repository', 'homepage', 'bugs'].filter((field) => !manifest[field])
  if (missing.length > 0)
    problems.push(
      `publishConfig.provenance is true but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: ` +
        'set them to the public repository, or set publishConfig.provenance to false until it exists',
    )
}
if (!manifest.license) problems.push('license is not set')

const packDir = mkdtempSync(path.join(tmpdir(), 'page-module-pack-'))
try {
  const pnpm = process.env.npm_execpath
  if (!pnpm) throw new Error('run this through pnpm (pnpm run check:package), which packs the tarball')
  execFileSync(process.execPath, [pnpm, 'pack', '--pack-destination', packDir], { cwd: packageDir, stdio: 'pipe' })
  const tarball = path.join(
    packDir,
    readdirSync(packDir).find((file) => file.endsWith('.tgz')),
  )
  const packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n')
  if (!packed.includes('package/LICENSE')) problems.push(`the tarball has no LICENSE: add one to ${path.relative(root, packageDir)}`)
  const packedManifest = execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })
  if (packedManifest.includes('"workspace:')) problems.push('the packed package.json still has `workspace:` ranges')
  // node10 resolution predates `exports`; subpaths like ./testing need TS moduleResolution node16 or bundler.
  const attwArgs = [
    tarball,
    '--profile',
    'node16',
    '--format',
    'table-flipped',
    ...(manifest.attw?.ignoreRules ?? []).flatMap((rule) => ['--ignore-rules', rule]),
  ]
  try {
    execFileSync(path.join(root, 'node_modules/.bin/attw'), attwArgs, { stdio: 'pipe' })
  } catch (error) {
    problems.push(`attw:\n${error.stdout}${error.stderr}`)
  }
} finally {
  rmSync(packDir, { recursive: true, force: true })
}

for (const subpath of Object.keys(manifest.exports ?? {})) {
  if (subpath === './package.json') continue
  const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
  const literal = JSON.stringify(specifier)
  try {
    const required = execFileSync(
      process.execPath,
      ['-e', `process.stdout.write(JSON.stringify(Object.keys(require(${literal})).sort()))`],
      { cwd: packageDir, encoding: 'utf8' },
    )
    const imported = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${literal}); process.stdout.write(JSON.stringify(Object.keys(m).filter((k) => ` +
          `k !== 'default' && k !== 'module.exports').sort()))`,
      ],
      { cwd: packageDir, encoding: 'utf8' },
    )
    const missing = JSON.parse(required).filter((key) => !JSON.parse(imported).includes(key))
    if (missing.length > 0) problems.push(`${specifier}: exported by require() but not by import: ${missing.join(', ')}`)
  } catch (error) {
    problems.push(`${specifier}: cannot be loaded: ${error.stderr || error.message}`)
  }
}

if (problems.length > 0) {
  console.error(`✗ ${manifest.name}\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(
  `✓ ${manifest.name}: publint, attw, LICENSE and metadata, ` +
    `require and import of ${Object.keys(manifest.exports ?? {}).length - 1} entries`,
)
