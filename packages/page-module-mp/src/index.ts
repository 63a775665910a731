// Filled in by its own issue; until then the package re-exports the core contract.
export * from '@page-module/core'
