export * from './emulator'
export { scaffoldCustomApi, type ScaffoldCustomApiOptions } from './scaffold/scaffold-custom-api'
export { runDev, type DevOptions } from './cli/run-dev'
