import { rmSync } from 'node:fs'

/** In a server forked by startForkedServer: closes `emulator`, removes `functionsDir` and exits once the bench disconnects. */
export function closeOnDisconnect(emulator, functionsDir) {
  process.on('disconnect', async () => {
    try {
      await emulator.close()
    } finally {
      rmSync(functionsDir, { recursive: true, force: true })
      process.exit(0)
    }
  })
}
