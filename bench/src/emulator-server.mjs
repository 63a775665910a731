// The local emulator with one echo module, in a process of its own (forked by the bench) so that its work does
// not share the client's event loop. Signatures are verified with the official signer, as in `page-module dev`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator } from '@page-module/dev'
import { closeOnDisconnect } from './close-on-disconnect.mjs'
import { FUNCTION_NAME, METHOD, MODULE_ID } from './scenarios/bench-call.mjs'

const maxInstances = Number(process.argv[2] ?? 8)
const functionsDir = mkdtempSync(path.join(tmpdir(), 'page-module-bench-functions-'))
const moduleHost = createRequire(import.meta.url).resolve('@page-module/host')
mkdirSync(path.join(functionsDir, FUNCTION_NAME))
writeFileSync(
  path.join(functionsDir, FUNCTION_NAME, 'index.js'),
  `const { defineModule } = require(${JSON.stringify(moduleHost)})\n` +
    `exports.main = defineModule({ id: ${JSON.stringify(MODULE_ID)}, methods: { ${METHOD}: async (data) => data } })\n`,
)

const emulator = await startEmulator({ functionsDir, env: 'bench-env', log: () => undefined, maxInstances })
process.send?.({
  url: emulator.url,
  serviceUrl: `${emulator.url}/admin`,
  env: emulator.env,
  credentials: { secretId: emulator.secretId, secretKey: emulator.secretKey },
})
closeOnDisconnect(emulator, functionsDir)
