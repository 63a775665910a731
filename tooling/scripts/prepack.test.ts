import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repositoryRoot = path.resolve(import.meta.dirname, '../..')
const publishedFolders = readdirSync(path.join(repositoryRoot, 'packages')).filter(
  (folder) => JSON.parse(readFileSync(path.join(repositoryRoot, 'packages', folder, 'package.json'), 'utf8')).private !== true,
)
// Without the variables of the pnpm running these tests, as a user's `npm pack` in a clone would run.
const userEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)))
const destination = mkdtempSync(path.join(tmpdir(), 'page-module-npm-pack-'))
afterAll(() => rmSync(destination, { recursive: true, force: true }))

describe('packing a published package', () => {
  it('every published package runs the shared prepack script', () => {
    expect(publishedFolders.length).toBeGreaterThan(5)
    for (const folder of publishedFolders) {
      const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, 'packages', folder, 'package.json'), 'utf8'))
      expect([folder, manifest.scripts?.prepack]).toEqual([folder, 'node ../../tooling/scripts/prepack.mjs'])
    }
  })

  it('`npm pack` is refused with the pnpm command to use, and writes no tarball', () => {
    let failure: { status: number; stderr: string } | undefined
    try {
      execFileSync('npm', ['pack', '--pack-destination', destination], {
        cwd: path.join(repositoryRoot, 'packages/core'),
        stdio: 'pipe',
        encoding: 'utf8',
        env: userEnvironment,
      })
    } catch (error) {
      failure = error as { status: number; stderr: string }
    }
    expect(failure?.status).not.toBe(0)
    expect(failure?.stderr).toContain('@page-module/core: packed by npm/')
    expect(failure?.stderr).toContain('`npx -y pnpm@10.34.9 pack` / `npx -y pnpm@10.34.9 publish`')
    expect(readdirSync(destination)).toEqual([])
  })

  it('`pnpm pack` packs, with versions in place of `workspace:` ranges (npm installs it: packages/dev/test/packed-install.test.ts)', () => {
    const pnpm = process.env.npm_execpath
    if (!pnpm || !/pnpm/.test(pnpm)) throw new Error('run the tests through pnpm (`pnpm test`): this one packs with `pnpm pack`')
    execFileSync(process.execPath, [pnpm, 'pack', '--pack-destination', destination], {
      cwd: path.join(repositoryRoot, 'packages/host'),
      stdio: 'pipe',
    })
    const [tarball] = readdirSync(destination)
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', path.join(destination, tarball!), 'package/package.json'], { encoding: 'utf8' }),
    )
    expect(manifest.dependencies['@page-module/core']).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
