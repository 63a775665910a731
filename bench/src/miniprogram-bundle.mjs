import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { minify } from 'terser'

const BUNDLE = path.resolve(import.meta.dirname, '../../packages/page-module/dist/miniprogram/index.js')

/** What the mini-program build costs the host's package: raw, minified and min+gzip bytes,
 * minified as the package's bundle-size test does (terser, ES2015, two compress passes). */
export async function measureMiniprogramBundle() {
  const source = readFileSync(BUNDLE, 'utf8')
  const { code } = await minify(source, { ecma: 2015, module: false, compress: { passes: 2 }, mangle: true })
  return {
    file: 'packages/page-module/dist/miniprogram/index.js',
    rawBytes: Buffer.byteLength(source),
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  }
}
