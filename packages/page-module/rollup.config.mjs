import { definePackageBuild, defineStandaloneBundle } from '@page-module/tooling-rollup'
import { smBuilds } from './scripts/sm-builds.mjs'

const packageDir = import.meta.dirname

// Node `import`: ESM + .d.mts over the peer @page-module/node. Its `require` build and .d.cts (`export =`) differ
// in shape, so they are built below and by scripts/write-require-typings.mjs.
const [nodeModule, nodeTypingsModule] = definePackageBuild({ packageDir, input: { 'node/index': 'src/node/index.ts' }, target: 'es2018' })

export default [
  { ...nodeModule, output: nodeModule.output.filter((output) => output.format === 'es') },
  nodeTypingsModule,
  {
    ...nodeModule,
    input: `${packageDir}/src/node/require.ts`,
    output: { file: `${packageDir}/dist/node/index.cjs`, format: 'cjs', exports: 'default' },
  },
  // The mini-program build: one self-contained CommonJS file, core and the wx.cloud adapter inlined.
  defineStandaloneBundle({ packageDir, input: 'src/miniprogram/index.ts', file: 'dist/miniprogram/index.js' }),
  // Every other runtime: self-contained too, so it needs no dependency.
  defineStandaloneBundle({ packageDir, input: 'src/unsupported/require.ts', file: 'dist/unsupported/index.cjs' }),
  withOutput(defineStandaloneBundle({ packageDir, input: 'src/unsupported/index.ts', file: 'dist/unsupported/index.mjs' }), {
    format: 'es',
  }),
  // `page-module/sm`: its own entry (mini-program and Node), so the base bundle does not carry SM2/SM3/SM4.
  ...smBuilds(packageDir),
]

function withOutput(build, output) {
  return { ...build, output: { ...build.output, ...output } }
}
