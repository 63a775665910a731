import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const changesetBin = path.join(root, 'node_modules/@changesets/cli/bin.js')
const workspaceGlobs = ['packages', 'examples', 'tooling']
const bumpRank = { patch: 1, minor: 2, major: 3 } as const
type Bump = keyof typeof bumpRank

interface Manifest {
  name: string
  version?: string
  private?: boolean
}

function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest
}

function workspaceManifests(base: string): string[] {
  const files = [path.join(base, 'bench/package.json')]
  for (const folder of workspaceGlobs) {
    for (const entry of readdirSync(path.join(base, folder))) {
      const file = path.join(base, folder, entry, 'package.json')
      try {
        readFileSync(file)
        files.push(file)
      } catch {
        // not a package folder
      }
    }
  }
  return files
}

/** The highest bump the pending changesets ask for, by package. */
function pendingBumps(): Map<string, Bump> {
  const bumps = new Map<string, Bump>()
  for (const file of readdirSync(path.join(root, '.changeset')).filter((name) => name.endsWith('.md') && name !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(path.join(root, '.changeset', file), 'utf8'))?.[1] ?? ''
    for (const [, name, type] of front.matchAll(/^['"]?([^'":]+)['"]?:\s*(patch|minor|major)\s*$/gm)) {
      const previous = bumps.get(name!)
      if (previous === undefined || bumpRank[type as Bump] > bumpRank[previous]) bumps.set(name!, type as Bump)
    }
  }
  return bumps
}

function bumped(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number]
  if (bump === 'major') return `${major + 1}.0.0`
  if (bump === 'minor') return `${major}.${minor + 1}.0`
  return `${major}.${minor}.${patch + 1}`
}

const work = mkdtempSync(path.join(tmpdir(), 'page-module-release-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('changeset version, in a copy of the workspace manifests', () => {
  it('moves every published package (one fixed group) to the same version, by the highest pending bump — never a major by accident', () => {
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(path.join(root, file), path.join(work, file))
    cpSync(path.join(root, '.changeset'), path.join(work, '.changeset'), { recursive: true })
    for (const file of workspaceManifests(root)) {
      const copy = path.join(work, path.relative(root, file))
      mkdirSync(path.dirname(copy), { recursive: true })
      writeFileSync(copy, readFileSync(file))
    }
    const published = workspaceManifests(root)
      .map(readManifest)
      .filter((manifest) => manifest.private !== true)
    const pending = pendingBumps()
    expect(pending.size).toBeGreaterThan(0)
    const highest = [...pending.values()].reduce<Bump>((top, bump) => (bumpRank[bump] > bumpRank[top] ? bump : top), 'patch')
    const current = published[0]!.version!

    execFileSync(process.execPath, [changesetBin, 'version'], { cwd: work, stdio: 'pipe' })

    const versions = Object.fromEntries(
      workspaceManifests(work)
        .map(readManifest)
        .filter((manifest) => manifest.private !== true)
        .map((manifest) => [manifest.name, manifest.version]),
    )
    expect(Object.keys(versions).sort()).toEqual(published.map((manifest) => manifest.name).sort())
    for (const version of Object.values(versions)) expect(version).toBe(bumped(current, highest))
  }, 60_000)
})
