// Node, `require`: the class itself (seed: `const PageModule = require('page-module')`), named exports on it.
import * as node from '@page-module/node'
import { toCommonJsExport } from '../common-js-export'

export default toCommonJsExport(node.PageModule, node)
