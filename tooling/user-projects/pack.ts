import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'

/**
 * Packs `packages/<folder>` of `repositoryRoot` into `destination` as publishing does: `pnpm pack` rewrites
 * `workspace:` ranges (npm's tarballs would keep them). Returns each folder's tarball.
 */
export function packWithPnpm(repositoryRoot: string, folders: readonly string[], destination: string): Record<string, string> {
  const pnpm = process.env.npm_execpath
  if (!pnpm || !/pnpm/.test(pnpm))
    throw new Error('run the tests through pnpm (`pnpm verify` or `pnpm test`): they pack the packages with `pnpm pack`')
  const tarballs: Record<string, string> = {}
  for (const folder of folders) {
    const before = new Set(readdirSync(destination))
    execFileSync(process.execPath, [pnpm, 'pack', '--pack-destination', destination], {
      cwd: path.join(repositoryRoot, 'packages', folder),
      stdio: 'pipe',
    })
    const made = readdirSync(destination).filter((file) => !before.has(file))
    if (made.length !== 1) throw new Error(`pnpm pack in packages/${folder} made ${made.length} tarballs: ${made.join(', ')}`)
    tarballs[folder] = path.join(destination, made[0]!)
  }
  return tarballs
}
