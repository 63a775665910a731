import { definePackageBuild } from '@page-module/tooling-rollup'

export default definePackageBuild({
  packageDir: import.meta.dirname,
  input: {
    index: 'src/index.ts',
    redis: 'src/redis/index.ts',
    auth: 'src/auth/index.ts',
    push: 'src/push/index.ts',
    server: 'src/server/index.ts',
    storage: 'src/storage/index.ts',
    database: 'src/database/index.ts',
    openapi: 'src/openapi/index.ts',
  },
  target: 'node18',
})
