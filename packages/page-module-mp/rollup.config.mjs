import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({
  packageDir: import.meta.dirname,
  input: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  target: 'es2015',
})
