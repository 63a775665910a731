declare const __PAGE_MODULE_VERSION__: string | undefined

/** This package's version, written into the build; `0.0.0-dev` when running from source. */
export const VERSION: string = typeof __PAGE_MODULE_VERSION__ === 'string' ? __PAGE_MODULE_VERSION__ : '0.0.0-dev'
