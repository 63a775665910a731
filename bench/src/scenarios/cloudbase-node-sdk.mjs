import { createRequire } from 'node:module'
import { envelopeFor, FUNCTION_NAME } from './bench-call.mjs'

const require = createRequire(import.meta.url)

/** The official SDK's callFunction, as a CloudBase team calls it today (with the same envelope as ours). */
export const cloudbaseNodeSdk = {
  name: '@cloudbase/node-sdk callFunction',
  key: 'official',
  create({ serviceUrl, credentials, env }) {
    const app = require('@cloudbase/node-sdk').init({ ...credentials, env, serviceUrl })
    let counter = 0
    return {
      call: () => app.callFunction({ name: FUNCTION_NAME, data: envelopeFor(`official-${++counter}`, Date.now()) }),
      close: () => undefined,
    }
  },
}
