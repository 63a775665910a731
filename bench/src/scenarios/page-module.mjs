import { PageModule } from '@page-module/node'
import { DATA, METHOD, MODULE_ID } from './bench-call.mjs'

/** Ours: callMethod with envelope, data checks, a TC3 signature per attempt and response checks. */
export const pageModule = {
  name: '@page-module/node callMethod',
  key: 'pageModule',
  create({ serviceUrl, credentials, env }) {
    // The default environment, process.env, read on every call as in any Node server (run.mjs clears the cloud
    // variables a machine might carry, so none changes the request).
    const module = new PageModule(MODULE_ID, { ...credentials, env, serviceUrl })
    return { call: () => module.callMethod(METHOD, DATA), close: () => module.close() }
  },
}
