// Not an entry point (see package.json `exports`): the path tsconfig.typetests.json maps `page-module` to.
export * from './node/index'
export { default } from './node/index'
