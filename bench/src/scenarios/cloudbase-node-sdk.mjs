import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The official SDK's callFunction, as a CloudBase team calls it today. */
export const cloudbaseNodeSdk = {
  name: '@cloudbase/node-sdk callFunction',
  key: 'official',
  create({ serviceUrl, credentials }) {
    const app = require('@cloudbase/node-sdk').init({ ...credentials, env: 'bench-env', serviceUrl })
    return { call: () => app.callFunction({ name: 'tcb-SignUp', data: { method: 'doSignIn', data: { day: '2026-11-21' } } }), close: () => undefined }
  },
}
