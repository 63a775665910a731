import { PageModuleError } from './page-module-error'

const METHOD = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/

/** True for names every object inherits (`constructor`, `toString`, `__proto__`…): never a module method. */
function isInheritedName(name: string): boolean {
  return name in Object.prototype
}

/** Validates a method name: a JavaScript identifier of at most 64 characters that is not inherited from Object. */
export function assertMethodName(method: unknown, module?: string): string {
  if (typeof method === 'string' && METHOD.test(method) && !isInheritedName(method)) return method
  const shown = typeof method === 'string' ? JSON.stringify(method) : `a ${typeof method}`
  throw new PageModuleError({
    code: 'INVALID_METHOD',
    module,
    message:
      `${shown} is not a method name — ` +
      "use the module's method name, a JavaScript identifier of at most 64 characters (e.g. 'doSignIn')",
  })
}
