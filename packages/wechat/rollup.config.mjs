import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({
  packageDir: import.meta.dirname,
  input: { index: 'src/index.ts', redis: 'src/redis/index.ts', openapi: 'src/openapi/index.ts' },
  target: 'node18',
})
