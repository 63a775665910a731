import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({ packageDir: import.meta.dirname, target: 'node18' })
