#!/usr/bin/env node
import { runTokenServerCli } from '../dist/index.mjs'

try {
  const server = await runTokenServerCli(process.argv.slice(2))
  const stop = () => server.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
