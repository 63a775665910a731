import { statSync } from 'node:fs'
import { PageModuleError } from '@page-module/core'
import type { EmulatorOptions } from './start-emulator'

/** CloudBase environment ids as the official SDK accepts them in its host name. */
const ENV_ID = /^[a-z0-9_-]{1,40}$/

/** Refuses options `startEmulator` cannot honour, before it listens or starts anything. */
export function assertEmulatorOptions(options: EmulatorOptions, functionsDir: string): void {
  const { port, env, secretId, secretKey, maxInstances, idleMs, maxStorageFileBytes } = options
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    refuse(`port must be a whole number from 0 (a free port) to 65535, got ${String(port)}`)
  }
  if (env !== undefined && (typeof env !== 'string' || !ENV_ID.test(env))) {
    refuse(`env ${JSON.stringify(env)} is not an environment id — use 1–40 lower-case letters, digits, '-' or '_'`)
  }
  if ((secretId === undefined) !== (secretKey === undefined)) {
    refuse('give secretId and secretKey together, or neither (the emulator then makes a local pair and prints it)')
  }
  for (const [name, value] of [
    ['secretId', secretId],
    ['secretKey', secretKey],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) refuse(`${name} must be a non-empty string`)
  }
  if (maxInstances !== undefined && !(Number.isInteger(maxInstances) && maxInstances >= 1 && maxInstances <= 64)) {
    refuse(`maxInstances must be a whole number from 1 to 64, got ${String(maxInstances)}`)
  }
  if (idleMs !== undefined && !(typeof idleMs === 'number' && idleMs > 0))
    refuse(`idleMs must be a positive number of milliseconds, got ${String(idleMs)}`)
  const { initTimeoutSeconds } = options
  if (initTimeoutSeconds !== undefined && !(typeof initTimeoutSeconds === 'number' && initTimeoutSeconds > 0 && initTimeoutSeconds <= 300))
    refuse(`initTimeoutSeconds must be a positive number of seconds, at most 300, got ${String(initTimeoutSeconds)}`)
  if (maxStorageFileBytes !== undefined && !(Number.isSafeInteger(maxStorageFileBytes) && maxStorageFileBytes > 0)) {
    refuse(`maxStorageFileBytes must be a positive whole number of bytes, got ${String(maxStorageFileBytes)}`)
  }
  if (options.watch !== undefined && typeof options.watch !== 'boolean')
    refuse(`watch must be true (reload functions when their files change) or false, got ${JSON.stringify(options.watch)}`)
  if (!statSync(functionsDir, { throwIfNoEntry: false })?.isDirectory()) {
    const given = options.functionsDir ?? './cloudfunctions'
    refuse(
      `the functions folder ${JSON.stringify(given)} does not exist — ` +
        `create it (one folder per cloud function, each with index.js) or pass functionsDir / --functions`,
    )
  }
}

function refuse(message: string): never {
  throw new PageModuleError({ code: 'INVALID_OPTIONS', message })
}
