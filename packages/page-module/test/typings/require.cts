import PageModule = require('page-module')
import { PageModule as Named, isPageModuleError, type PageModuleError } from 'page-module'

interface SignUp {
  doSignIn: { input: Record<string, never>; output: { streak: number } }
}

declare const transport: PageModule.Transport
const signUp = new PageModule<SignUp>('tcb:SignUp', { transport })
const streak: Promise<number> = signUp.callMethod('doSignIn', {}).then((answer) => answer.streak)
const named: Named<SignUp> = signUp
const error: PageModuleError | undefined = isPageModuleError(streak) ? streak : undefined
const guard: typeof PageModule.isPageModuleError = PageModule.isPageModuleError
// @ts-expect-error the method map types every call
void signUp.callMethod('doSignOut', {})
export { named, error, guard }
