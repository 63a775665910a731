import { definePackageBuild } from '@page-module/tooling-rollup'

export default [
  ...definePackageBuild({
    packageDir: import.meta.dirname,
    input: {
      index: 'src/index.ts',
      'wx-cloud-bridge': 'src/wx-cloud-bridge/index.ts',
      cli: 'src/cli/index.ts',
    },
    target: 'node18',
  }),
  // The emulator forks this file into each function's child process; it stays plain CommonJS so the
  // child needs no build step and loads nothing but Node built-ins.
  {
    input: 'src/emulator/cloudbase/functions/function-runner.cjs',
    output: { file: 'dist/function-runner.cjs', format: 'cjs', strict: false },
  },
]
