import { existsSync } from 'node:fs'
import path from 'node:path'
import { packWithPnpm } from '@page-module/tooling-user-projects'

const repositoryRoot = path.resolve(import.meta.dirname, '../../..')
export const packageDir = path.resolve(import.meta.dirname, '..')
export const exampleDir = path.join(repositoryRoot, 'examples/miniprogram')

/** Fails with what to do when the build the test reads is missing. */
export function assertBuilt(): void {
  for (const file of ['dist/miniprogram/index.js', 'dist/node/index.cjs']) {
    if (!existsSync(path.join(packageDir, file)))
      throw new Error(`packages/page-module/${file} is missing: run \`pnpm build\` first (the verify script does)`)
  }
}

/** Packs, as published, the packages a user's `npm install page-module` brings in. Returns the tarballs. */
export function packPublishedPackages(destination: string): string[] {
  return Object.values(packWithPnpm(repositoryRoot, ['core', 'page-module-node', 'page-module'], destination))
}
