import { spawn } from 'node:child_process'
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'

const require = createRequire(import.meta.url)
const repositoryRoot = path.resolve(import.meta.dirname, '..', '..')
// What `npm install page-module` brings to a Node project: the umbrella, its peer the Node adapter, and core. The
// WeChat toolkit is an optional peer of the adapter, added by those who call with an appId/appSecret.
const OUR_PACKAGES = ['packages/page-module', 'packages/page-module-node', 'packages/core']
const WECHAT_TOOLKIT = 'packages/wechat'
const STEP_TIMEOUT_MS = 150_000

/**
 * Bytes, files and packages of each SDK's production dependency tree, as `npm install --omit=dev` lays it out in
 * an empty folder: ours from tarballs packed here (`pnpm pack`), the official SDKs from the registry at the
 * versions the workspace uses. Installs run in parallel; one that fails is reported with its error.
 */
export async function measureInstallWeight() {
  const workFolder = mkdtempSync(path.join(tmpdir(), 'page-module-bench-install-'))
  try {
    const tarballs = []
    for (const packageDir of OUR_PACKAGES) tarballs.push(await pack(path.join(repositoryRoot, packageDir), workFolder))
    const toolkit = await pack(path.join(repositoryRoot, WECHAT_TOOLKIT), workFolder)
    const contenders = [
      { name: 'page-module + @page-module/node', specs: tarballs },
      { name: '… + @page-module/wechat (appId/appSecret)', specs: [...tarballs, toolkit] },
      { name: '@cloudbase/node-sdk', specs: [`@cloudbase/node-sdk@${versionOf('@cloudbase/node-sdk')}`] },
      { name: 'wx-server-sdk', specs: [`wx-server-sdk@${versionOf('wx-server-sdk')}`] },
    ]
    return await Promise.all(contenders.map((contender, index) => installAndWeigh(contender, path.join(workFolder, `install-${index}`))))
  } finally {
    rmSync(workFolder, { recursive: true, force: true })
  }
}

async function installAndWeigh({ name, specs }, folder) {
  try {
    mkdirSync(folder)
    writeFileSync(path.join(folder, 'package.json'), '{ "name": "install-weight", "private": true }\n')
    await run(
      'npm',
      ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...specs],
      folder,
    )
    return { name, specs: specs.map(displayNameOf), ...weigh(path.join(folder, 'node_modules')) }
  } catch (error) {
    return { name, specs: specs.map(displayNameOf), error: String(error.message ?? error).slice(0, 300) }
  }
}

/** Packs with the pnpm running this bench (so `workspace:` versions are written out), else the pinned one. */
async function pack(packageDir, destination) {
  const before = new Set(readdirSync(destination))
  const pnpm = process.env.npm_execpath?.includes('pnpm') ? [process.execPath, process.env.npm_execpath] : ['npx', '-y', 'pnpm@10.34.9']
  await run(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', destination], packageDir)
  const made = readdirSync(destination).filter((file) => file.endsWith('.tgz') && !before.has(file))
  if (made.length !== 1) throw new Error(`pnpm pack in ${packageDir} made ${made.length} tarballs`)
  return path.join(destination, made[0])
}

function versionOf(name) {
  return require(`${name}/package.json`).version
}

/** Apparent size of every file under `folder` (symlinks not followed), and the packages it holds. */
function weigh(folder) {
  let bytes = 0
  let files = 0
  let packages = 0
  const visit = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const entryPath = path.join(directory, entry.name)
      if (entry.isDirectory()) visit(entryPath)
      else if (entry.isFile()) {
        bytes += lstatSync(entryPath).size
        files += 1
        if (entry.name === 'package.json' && path.basename(path.dirname(directory)) === 'node_modules') packages += 1
        else if (
          entry.name === 'package.json' &&
          path.basename(path.dirname(path.dirname(directory))) === 'node_modules' &&
          path.basename(path.dirname(directory)).startsWith('@')
        )
          packages += 1
      }
    }
  }
  visit(folder)
  return { bytes, files, packages }
}

function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
    let errors = ''
    child.stderr.on('data', (chunk) => (errors += chunk))
    const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), STEP_TIMEOUT_MS)
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`${command} ${args.slice(0, 2).join(' ')} failed (${code ?? signal}): ${errors.trim()}`))
    })
  })
}

function displayNameOf(spec) {
  return spec.endsWith('.tgz') ? path.basename(spec) : spec
}
