import PageModule, { PageModule as Named, isPageModuleError, type Transport } from 'page-module'

declare const transport: Transport
const signUp: Named = new PageModule('tcb:SignUp', { transport })
export const guard: boolean = isPageModuleError(signUp)
