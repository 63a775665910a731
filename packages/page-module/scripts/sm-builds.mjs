// The `page-module/sm` builds: self-contained files with sm-crypto-v2 (and the @noble code under it) inlined.
import { builtinModules } from 'node:module'
import path from 'node:path'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import esbuild from 'rollup-plugin-esbuild'
import { dts } from 'rollup-plugin-dts'

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)])
const NO_NODE_CRYPTO = '\0page-module-sm:no-node-crypto'

/**
 * sm-crypto-v2 falls back to `import('crypto')` where neither globalThis.crypto nor wx.getRandomValues exists. The
 * mini-program has no Node built-ins: there that import resolves to a module without `webcrypto`, so the library
 * reports "no available csprng" instead of the bundle holding a Node `require`.
 */
function noNodeCrypto() {
  return {
    name: 'page-module-sm-no-node-crypto',
    resolveId: (id) => (id === 'crypto' || id === 'node:crypto' ? NO_NODE_CRYPTO : null),
    load: (id) => (id === NO_NODE_CRYPTO ? 'export const webcrypto = undefined\nexport default {}\n' : null),
  }
}

/**
 * sm-crypto-v2 starts filling its random pool when loaded and leaves that promise unhandled: on a runtime without a
 * CSPRNG (base library < 2.15.0) it would be an unhandled rejection at `require` time. The failure is reported
 * where it matters instead — smProtection throws UNSUPPORTED_RUNTIME, and each call awaits `initRNGPool()` itself.
 */
function quietLoadTimePoolFill() {
  const statement = /^initRNGPool\(\);$/m
  return {
    name: 'page-module-sm-quiet-load-time-pool-fill',
    transform(code, id) {
      if (!/[\\/]sm-crypto-v2[\\/]dist[\\/]index\.mjs$/.test(id)) return null
      if (!statement.test(code)) this.error('sm-crypto-v2 no longer has its load-time `initRNGPool();`: review scripts/sm-builds.mjs')
      return { code: code.replace(statement, 'initRNGPool().catch(() => undefined);'), map: null }
    },
  }
}

function transpile(packageDir, target) {
  // Dependencies ship .mjs/.js with ES2020 syntax (`?.`): transpile them too, not only our .ts.
  return esbuild({
    include: /\.[cm]?[jt]s$/,
    exclude: [],
    loaders: { '.mjs': 'js', '.cjs': 'js', '.js': 'js' },
    target,
    tsconfig: path.join(packageDir, 'tsconfig.json'),
  })
}

export function smBuilds(packageDir) {
  const resolve = nodeResolve({ extensions: ['.ts', '.mjs', '.js'], exportConditions: ['import', 'default'] })
  return [
    {
      input: path.join(packageDir, 'src/sm/miniprogram.ts'),
      plugins: [noNodeCrypto(), quietLoadTimePoolFill(), resolve, transpile(packageDir, 'es2015')],
      output: {
        file: path.join(packageDir, 'dist/miniprogram/sm/index.js'),
        format: 'cjs',
        exports: 'named',
        generatedCode: 'es2015',
        inlineDynamicImports: true,
      },
    },
    {
      input: path.join(packageDir, 'src/sm/index.ts'),
      external: (id) => nodeBuiltins.has(id),
      plugins: [resolve, transpile(packageDir, 'node18')],
      output: [
        { file: path.join(packageDir, 'dist/sm/index.mjs'), format: 'es', inlineDynamicImports: true },
        { file: path.join(packageDir, 'dist/sm/index.cjs'), format: 'cjs', exports: 'named', inlineDynamicImports: true },
      ],
    },
    ...['mts', 'cts'].map((extension) => ({
      input: path.join(packageDir, 'src/sm/index.ts'),
      plugins: [dts({ tsconfig: path.join(packageDir, 'tsconfig.json'), respectExternal: true, compilerOptions: { noEmit: false } })],
      output: { file: path.join(packageDir, `dist/sm/index.d.${extension}`), format: 'es' },
    })),
  ]
}
