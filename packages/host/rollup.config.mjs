import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({
  packageDir: import.meta.dirname,
  input: { index: 'src/index.ts', 'sm/index': 'src/sm/index.ts', 'sm-client/index': 'src/sm-client/index.ts' },
  target: 'node18',
})
