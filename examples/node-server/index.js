// A Node server signing a user in through the tcb:SignUp module, with the env's secretId/secretKey.
// Point it at the local emulator with PAGE_MODULE_SERVICE_URL (the demo does), or leave it unset for the cloud.
const PageModule = require('page-module')

async function main() {
  const signUp = new PageModule('tcb:SignUp', {
    env: process.env.TCB_ENV,
    secretId: process.env.TENCENTCLOUD_SECRETID,
    secretKey: process.env.TENCENTCLOUD_SECRETKEY,
    ...(process.env.PAGE_MODULE_SERVICE_URL ? { serviceUrl: process.env.PAGE_MODULE_SERVICE_URL } : {}),
  })
  const userId = process.argv[2] || 'u-node-example'

  const signIn = await signUp.callMethod('doSignIn', { userId }, { idempotencyKey: true })
  console.log(`doSignIn ${userId} → streak ${signIn.streak}, prize ${JSON.stringify(signIn.prize)}`)

  const status = await signUp.callMethod('getSignInStatus', { userId })
  console.log(`getSignInStatus ${userId} → ${JSON.stringify(status)}`)

  try {
    await signUp.callMethod('doSignIn', { userId })
  } catch (error) {
    // A second sign-in the same day: the module answers its own code 1001.
    console.log(`doSignIn again → ${error.code} ${error.moduleCode}: ${error.message}`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
