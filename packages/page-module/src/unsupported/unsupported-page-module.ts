import { PageModuleError } from '@page-module/core'

export const UNSUPPORTED_RUNTIME_MESSAGE =
  'page-module runs in a WeChat mini-program (npm install, then DevTools 工具 → 构建 npm, which uses its `miniprogram` build) ' +
  'and in Node.js (the `node` export condition); this runtime resolved neither — in Taro, uni-app or another bundler ' +
  "import { PageModule } from '@page-module/mp', on a server run under Node.js"

/** What non-Node, non-mini-program runtimes get: a PageModule that refuses at construction, naming the two that work. */
export class PageModule {
  constructor(id?: string) {
    throw new PageModuleError({
      code: 'UNSUPPORTED_RUNTIME',
      module: typeof id === 'string' ? id : undefined,
      requestSent: false,
      message: UNSUPPORTED_RUNTIME_MESSAGE,
    })
  }
}
