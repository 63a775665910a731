import { readFileSync } from 'node:fs'
import path from 'node:path'
import { findFunctionFolder } from '../functions/function-folder'

/**
 * The open APIs a function may call by cloud call: `permissions.openapi` of its `config.json`, read on every call
 * (the cloud caches it ~10 minutes after an upload; the emulator has no upload step).
 */
export function openApiPermissionsOf(functionsDir: string, functionName: string): ReadonlySet<string> {
  const folder = findFunctionFolder(functionsDir, functionName)
  if (!folder) return new Set()
  try {
    const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as { permissions?: { openapi?: unknown } }
    const listed = config.permissions?.openapi
    return new Set(Array.isArray(listed) ? listed.filter((name): name is string => typeof name === 'string') : [])
  } catch {
    return new Set()
  }
}
