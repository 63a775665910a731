// One build for every package: ESM (.mjs) + CJS (.cjs) + split typings (.d.mts / .d.cts).
import { readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import replace from '@rollup/plugin-replace'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import esbuild from 'rollup-plugin-esbuild'
import { dts } from 'rollup-plugin-dts'

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)])

/**
 * @param {object} options
 * @param {string} options.packageDir   the package folder (pass `import.meta.dirname`)
 * @param {Record<string, string>} [options.input]  entry name → source file; default `{ index: 'src/index.ts' }`
 * @param {string} [options.target]     esbuild target of the JavaScript output; default `es2015`
 * @param {string} [options.outDir]     default `dist`
 * @param {boolean} [options.types]     emit .d.mts/.d.cts; default true
 * @param {string} [options.nodeTarget] also build the JavaScript at this target into `<outDir>/node`, for a `node`
 *   export condition (a package whose main build targets an older baseline, e.g. core's ES2015)
 * @param {string[]} [options.inlineTypesOf] optional peers whose types the typings carry themselves, so they compile
 *   where the peer is not installed
 * @returns {import('rollup').RollupOptions[]}
 */
export function definePackageBuild({
  packageDir,
  input = { index: 'src/index.ts' },
  target = 'es2015',
  outDir = 'dist',
  types = true,
  nodeTarget,
  inlineTypesOf = [],
}) {
  const manifest = readPackage(packageDir)
  const inputs = resolveInputs(packageDir, input)
  const dir = path.join(packageDir, outDir)
  // Each build starts from an empty folder: chunks of an earlier build (hashed names) would otherwise be packed.
  rmSync(dir, { recursive: true, force: true })
  const builds = [javaScriptBuild({ inputs, manifest, packageDir, target, dir })]
  if (nodeTarget !== undefined)
    builds.push(javaScriptBuild({ inputs, manifest, packageDir, target: nodeTarget, dir: path.join(dir, 'node') }))
  if (types) builds.push(...typingsBuilds({ inputs, dir, manifest, packageDir, inlineTypesOf }))
  return builds
}

/**
 * A single self-contained CommonJS file (every dependency inlined), for runtimes that cannot resolve
 * packages on their own: the mini-program `miniprogram` folder.
 * @param {object} options
 * @param {string} options.packageDir
 * @param {string} options.input   source file
 * @param {string} options.file    output file
 * @param {string} [options.target] default `es2015`
 * @returns {import('rollup').RollupOptions}
 */
export function defineStandaloneBundle({ packageDir, input, file, target = 'es2015' }) {
  const manifest = readPackage(packageDir)
  return {
    input: path.join(packageDir, input),
    external: (id) => nodeBuiltins.has(id),
    plugins: [
      versionPlugin(manifest),
      nodeResolve({ extensions: ['.ts', '.mjs', '.js'], exportConditions: ['import', 'default'] }),
      esbuild({ target, tsconfig: tsconfigOf(packageDir) }),
    ],
    output: { file: path.join(packageDir, file), format: 'cjs', exports: 'auto', generatedCode: 'es2015' },
  }
}

function javaScriptBuild({ inputs, manifest, packageDir, target, dir }) {
  return {
    input: inputs,
    external: externalsOf(manifest),
    plugins: [versionPlugin(manifest), esbuild({ target, tsconfig: tsconfigOf(packageDir) })],
    output: [
      { dir, format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      { dir, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', exports: 'named' },
    ],
  }
}

function typingsBuilds({ inputs, dir, manifest, packageDir, inlineTypesOf }) {
  const plugins = [dts({ tsconfig: tsconfigOf(packageDir), compilerOptions: { noEmit: false }, includeExternal: inlineTypesOf })]
  const externalPackage = externalsOf(manifest)
  const external = (id) => !inlineTypesOf.some((name) => id === name || id.startsWith(`${name}/`)) && externalPackage(id)
  return [
    {
      input: inputs,
      external,
      plugins,
      output: { dir, format: 'es', entryFileNames: '[name].d.mts', chunkFileNames: '[name]-[hash].d.mts' },
    },
    {
      input: inputs,
      external,
      plugins,
      output: { dir, format: 'es', entryFileNames: '[name].d.cts', chunkFileNames: '[name]-[hash].d.cts' },
    },
  ]
}

// The version is a literal in the output, so no package.json read happens at run time.
function versionPlugin(manifest) {
  return replace({ preventAssignment: true, values: { __PAGE_MODULE_VERSION__: JSON.stringify(manifest.version) } })
}

function externalsOf(manifest) {
  const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })
  return (id) => nodeBuiltins.has(id) || dependencies.some((name) => id === name || id.startsWith(`${name}/`))
}

function resolveInputs(packageDir, input) {
  return Object.fromEntries(Object.entries(input).map(([name, file]) => [name, path.join(packageDir, file)]))
}

function tsconfigOf(packageDir) {
  return path.join(packageDir, 'tsconfig.json')
}

function readPackage(packageDir) {
  return JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'))
}
