/** The `code` of a Node system error (`ENOENT`, `ECONNREFUSED`…), if it has one. */
export function systemErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}
