import path from 'node:path'
import { watch } from 'chokidar'

export interface FunctionsWatcher {
  close(): Promise<void>
}

export interface WatchFunctionsOptions {
  readonly functionsDir: string
  /** A file was edited, added or removed under `<functionsDir>/<functionName>/`; `file` is relative to that folder. */
  readonly changed: (functionName: string, file: string) => void
  /** A new folder appeared directly under `functionsDir`. */
  readonly added: (functionName: string) => void
}

/** Folders never watched: installed packages (a change there comes with one to package.json) and version control. */
const UNWATCHED = new Set(['node_modules', '.git'])

/**
 * Watches the functions folder and reports each change by function. Resolves once the initial scan is done, so an
 * edit made after it is seen.
 */
export async function watchFunctions({ functionsDir, changed, added }: WatchFunctionsOptions): Promise<FunctionsWatcher> {
  const watcher = watch(functionsDir, {
    ignoreInitial: true,
    ignored: (file) =>
      path
        .relative(functionsDir, file)
        .split(path.sep)
        .some((part) => UNWATCHED.has(part)),
  })
  watcher.on('all', (event, file) => {
    const [functionName, ...rest] = path.relative(functionsDir, file).split(path.sep)
    if (functionName === undefined || functionName === '' || functionName.startsWith('..')) return
    if (rest.length === 0) {
      if (event === 'addDir') added(functionName)
      else if (event === 'unlinkDir') changed(functionName, '.')
      return
    }
    changed(functionName, rest.join('/'))
  })
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', () => resolve())
    watcher.once('error', reject)
  })
  return { close: () => watcher.close() }
}
