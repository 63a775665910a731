// Node, `import`: the Node adapter as it is, plus a default export.
export * from '@page-module/node'
export { PageModule as default } from '@page-module/node'
