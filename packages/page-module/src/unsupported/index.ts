// Any other runtime (`default` condition), `import`: the error API works, `new PageModule()` throws UNSUPPORTED_RUNTIME.
export { PageModuleError, isPageModuleError, RESERVED_MODULE_CODES, VERSION } from '@page-module/core'
export { PageModule, PageModule as default, UNSUPPORTED_RUNTIME_MESSAGE } from './unsupported-page-module'
