import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({
  packageDir: import.meta.dirname,
  input: { index: 'src/index.ts', testing: 'src/testing/index.ts', 'current-env': 'src/current-env.ts' },
  target: 'es2015',
  // On Node, native async and spreads instead of ES2015's generator and spread helpers (about half core's CPU per call).
  nodeTarget: 'node18',
})
