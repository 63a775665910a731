// The mini-program build (`miniprogram` field): core + the wx.cloud adapter in one CommonJS file, with the same
// shape as the Node `require` build, so `require('page-module')`, `import { PageModule }` and a default import
// all work after DevTools' ES-module-to-CommonJS compile.
import * as mp from '@page-module/mp'
import { toCommonJsExport } from '../common-js-export'

export default toCommonJsExport(mp.PageModule, mp)
