// callMethod end to end against the fake transport: a typed answer, a module error, refused input.
import { PageModule, isPageModuleError } from '@page-module/core'
import { createFakeTransport, moduleAnswer } from '@page-module/core/testing'

const signedIn = new Set()
const transport = createFakeTransport({
  doSignIn: ({ userId }) => {
    if (signedIn.has(userId)) throw moduleAnswer(1001, 'already signed in today')
    signedIn.add(userId)
    return { streak: 1 }
  },
})
const signUp = new PageModule('tcb:SignUp', { transport })

async function show(label, call) {
  try {
    console.log(`${label} → ${JSON.stringify(await call())}`)
  } catch (error) {
    if (!isPageModuleError(error)) throw error
    console.log(`${label} → ${error.code}${error.moduleCode === undefined ? '' : ` (${error.moduleCode})`}: ${error.message}`)
  }
}

console.log(`module ${signUp.id} is served by the cloud function '${signUp.functionName}'\n`)
await show("callMethod('doSignIn', { userId: 'u1' })", () => signUp.callMethod('doSignIn', { userId: 'u1' }))
await show("callMethod('doSignIn', { userId: 'u1' }) again", () => signUp.callMethod('doSignIn', { userId: 'u1' }))
await show("callMethod('getPrize')", () => signUp.callMethod('getPrize'))
await show("callMethod('doSignIn', { at: new Date() })", () => signUp.callMethod('doSignIn', { at: new Date() }))
console.log(`\n${transport.calls.length} envelopes reached the transport; refused input never left.`)
