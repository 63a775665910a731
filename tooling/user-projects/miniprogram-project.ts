import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { npmInstall } from './npm-project'

/** Where `npm install page-module` leaves a package.json in examples/miniprogram: the app's, and the scene module's. */
export const miniprogramPlacements = ['miniprogram', 'miniprogram/page_module/sign-in'] as const

/** Copies a mini-program project (examples/miniprogram) to `projectDir`, leaving out what a local install or build left in it. */
export function copyMiniprogramExample(exampleDir: string, projectDir: string): void {
  cpSync(exampleDir, projectDir, {
    recursive: true,
    filter: (source) => !/node_modules|miniprogram_npm/.test(path.relative(exampleDir, source)),
  })
}

/**
 * Copies the mini-program project `exampleDir` to `projectDir` and installs the tarballs in each of its package.json
 * folders with npm (real files, not links). package.json then lists only `page-module`, as `npm install page-module`
 * from the registry would; its peer @page-module/node is installed next to it, as npm ≥ 7 does.
 */
export function createMiniprogramProject(exampleDir: string, projectDir: string, tarballs: readonly string[]): string {
  copyMiniprogramExample(exampleDir, projectDir)
  for (const placement of miniprogramPlacements) {
    const dir = path.join(projectDir, placement)
    npmInstall(dir, tarballs, ['--no-package-lock'])
    const manifest = { name: path.basename(dir), private: true, dependencies: { 'page-module': '^0.1.0' } }
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  }
  return projectDir
}

export interface PackNpmWarning {
  msg: string
  jsPath: string
}

/** DevTools' 构建 npm, from miniprogram-ci, offline: a fake appid and a fake key are enough for packNpm. */
export async function buildNpm(projectDir: string): Promise<PackNpmWarning[]> {
  const ci = (await import('miniprogram-ci')) as unknown as {
    Project: new (options: Record<string, unknown>) => unknown
    packNpm(project: unknown, options: Record<string, unknown>): Promise<PackNpmWarning[]>
  }
  const keyFile = path.join(projectDir, '..', 'private.fake.key')
  mkdirSync(path.dirname(keyFile), { recursive: true })
  writeFileSync(keyFile, 'not a key: packNpm never reads it')
  const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: projectDir, privateKeyPath: keyFile })
  return ci.packNpm(project, { reporter: () => undefined })
}
