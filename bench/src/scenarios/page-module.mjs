import { PageModule } from '@page-module/node'

/** Ours: callMethod with envelope, data checks, a TC3 signature per attempt and response checks. */
export const pageModule = {
  name: '@page-module/node callMethod',
  key: 'pageModule',
  create({ serviceUrl, credentials }) {
    const signUp = new PageModule('tcb:SignUp', { ...credentials, env: 'bench-env', serviceUrl, environment: {} })
    return { call: () => signUp.callMethod('doSignIn', { day: '2026-11-21' }), close: () => signUp.close() }
  },
}
