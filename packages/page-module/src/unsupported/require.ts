// Any other runtime (`default` condition), `require`: the same shape as the other CommonJS builds.
import { toCommonJsExport } from '../common-js-export'
import * as unsupported from './index'

export default toCommonJsExport(unsupported.PageModule, unsupported)
