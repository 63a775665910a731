import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PageModuleError, parseModuleId } from '@page-module/core'
import { VERSION } from '../version'
import { customApiFunctionNameOf, isCustomApiName, notImplementedMessage } from '@page-module/host'

export interface ScaffoldCustomApiOptions {
  /** The folder to create, normally `cloudfunctions/<provider>-<Name>-api`. Must not exist or be empty. */
  readonly dir: string
  /** The module whose custom interfaces these are, e.g. `tcb:SignUp`. */
  readonly module: string
  /** Interface names, e.g. `['sendPrize']`. */
  readonly apis: readonly string[]
}

/**
 * Writes the business's custom-interface function: `index.js` (the router), `api/<name>.js` stubs that
 * answer -1 until implemented, `package.json` and `README.md`. Checks everything before writing anything,
 * and never overwrites. Resolves with the files written, relative to `dir`.
 */
export function scaffoldCustomApi({ dir, module, apis }: ScaffoldCustomApiOptions): string[] {
  parseModuleId(module)
  if (apis.length === 0) throw invalidOptions('name at least one interface, e.g. --apis sendPrize')
  for (const name of apis) {
    if (!isCustomApiName(name))
      throw invalidOptions(`${JSON.stringify(name)} is not an interface name — use plain identifiers such as sendPrize`)
  }
  if (new Set(apis).size !== apis.length) throw invalidOptions(`an interface is named twice in ${apis.join(',')}`)
  if (existsSync(dir) && readdirSync(dir).length > 0) throw invalidOptions(`${dir} already exists and is not empty — nothing was written`)

  const functionName = customApiFunctionNameOf(module)
  const files: Record<string, string> = {
    'index.js': indexFile(module),
    'package.json': `${JSON.stringify(packageFile(functionName), null, 2)}\n`,
    'README.md': readmeFile({ module, functionName, apis, folder: path.basename(path.resolve(dir)) }),
  }
  for (const name of apis) files[`api/${name}.js`] = stubFile(module, name)

  mkdirSync(path.join(dir, 'api'), { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text, { flag: 'wx' })
  return Object.keys(files)
}

export interface AddCustomApiOptions {
  /** An existing custom-interface function folder (one `scaffoldCustomApi` wrote, or written the same way). */
  readonly dir: string
  /** The interface to add, e.g. `getUser`. */
  readonly api: string
}

/**
 * Adds one interface to an existing custom-interface function: writes `api/<name>.js` (a stub that answers -1 until
 * implemented) and nothing else. Refuses a folder that is not such a function and never overwrites. Resolves with
 * the file written, relative to `dir`.
 */
export function addCustomApi({ dir, api }: AddCustomApiOptions): string {
  if (!isCustomApiName(api))
    throw invalidOptions(`${JSON.stringify(api)} is not an interface name — use a plain identifier such as getUser`)
  const index = path.join(dir, 'index.js')
  const router = existsSync(index) ? readFileSync(index, 'utf8') : ''
  if (!router.includes('createCustomApiRouter')) {
    throw invalidOptions(
      `${dir} is not a custom-interface function (no index.js with createCustomApiRouter) — create one with --module and --apis`,
    )
  }
  const module = MODULE_OF_ROUTER.exec(router)?.[1] ?? 'the module'
  const file = `api/${api}.js`
  if (existsSync(path.join(dir, file))) throw invalidOptions(`${path.join(dir, file)} already exists — nothing was written`)
  mkdirSync(path.join(dir, 'api'), { recursive: true })
  writeFileSync(path.join(dir, file), stubFile(module, api), { flag: 'wx' })
  return file
}

// The first line indexFile writes names the module.
const MODULE_OF_ROUTER = /^\/\/ The custom interfaces of ([\w-]+:[\w-]+):/

function indexFile(module: string): string {
  return `// The custom interfaces of ${module}: each call is routed to api/<name>.js. Nothing to change here.
const { createCustomApiRouter } = require('@page-module/host')

exports.main = createCustomApiRouter({ dir: __dirname })
`
}

function stubFile(module: string, name: string): string {
  return `// ${module} calls ${name} with callCustomApi('${name}', data).
// Implement it and answer { code: 0, msg: 'suc', ...your fields }; a non-zero code is a business failure.
module.exports = async (data) => {
  return { code: -1, msg: '${notImplementedMessage(name)}' }
}
`
}

function packageFile(functionName: string): Record<string, unknown> {
  return {
    name: functionName,
    version: '1.0.0',
    private: true,
    main: 'index.js',
    dependencies: { '@page-module/host': `^${VERSION === '0.0.0-dev' ? '0.1.0' : VERSION}`, 'wx-server-sdk': '~4.0.2' },
  }
}

function readmeFile({
  module,
  functionName,
  apis,
  folder,
}: {
  module: string
  functionName: string
  apis: readonly string[]
  folder: string
}): string {
  const nameNote =
    folder === functionName
      ? ''
      : `\nThis folder is \`${folder}\`, but ${module} calls \`${functionName}\` by default: rename it, ` +
        `or set the environment variable \`PAGE_MODULE_CUSTOM_API_FUNCTION=${folder}\` on the module's function.\n`
  return `# ${functionName} — custom interfaces of ${module}

The module ${module} calls these interfaces of yours. Deploy this folder as the cloud function
\`${functionName}\` (upload and install dependencies in the cloud).
${nameNote}
| interface | file |
| --- | --- |
${apis.map((name) => `| \`${name}\` | [api/${name}.js](api/${name}.js) |`).join('\n')}

Each file exports one async function that receives the module's data and answers
\`{ code: 0, msg: 'suc', ...fields }\`:

\`\`\`js
module.exports = async (data) => ({ code: 0, msg: 'suc' })
\`\`\`

Until you implement it, the stub answers \`-1\` (自定义接口未实现). A missing file answers \`-1\`, a throw or an
answer without a numeric \`code\` answers \`-2\` (调用接口实现异常).
`
}

function invalidOptions(message: string): PageModuleError {
  return new PageModuleError({ code: 'INVALID_OPTIONS', message })
}
