/** What `require('page-module')` returns: the PageModule class itself, carrying every named export. */
export type CommonJsExport<Class, Named> = Class & Omit<Named, 'PageModule'> & { readonly PageModule: Class }

/**
 * Makes the CommonJS export of a build: a subclass (so the adapter's own class is never mutated) with the named
 * exports as statics, so `const PageModule = require('page-module')` and `const { PageModule } = require(…)` both work.
 */
export function toCommonJsExport<Class extends abstract new (...args: never[]) => unknown, Named extends object>(
  base: Class,
  named: Named,
): CommonJsExport<Class, Named> {
  // Keeps the name `PageModule` in stack traces and `constructor.name`.
  const PageModule = { PageModule: class extends (base as unknown as new (...args: never[]) => object) {} }.PageModule
  for (const key of Object.keys(named)) {
    if (key !== 'default' && key !== 'PageModule')
      Object.defineProperty(PageModule, key, { value: (named as Record<string, unknown>)[key], enumerable: true })
  }
  Object.defineProperty(PageModule, 'PageModule', { value: PageModule, enumerable: true })
  return PageModule as unknown as CommonJsExport<Class, Named>
}
