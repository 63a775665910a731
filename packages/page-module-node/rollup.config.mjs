import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({
  packageDir: import.meta.dirname,
  target: 'node18',
  // The optional peer's types the options name (token store, token provider, fetch): they compile without it.
  inlineTypesOf: ['@page-module/wechat'],
})
