/** What a secret is replaced with. */
export const REDACTED = '[redacted]'

/**
 * The one redaction of PageModule: every occurrence of each secret in `text` is replaced, and only then is the text cut
 * to `maxLength` characters (with `…`), so no part of a secret survives the cut. Secrets shorter than 4 characters
 * are skipped: they would erase ordinary words.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>, maxLength?: number): string {
  let result = text
  for (const secret of secrets) if (secret !== undefined && secret.length >= 4) result = result.split(secret).join(REDACTED)
  return maxLength !== undefined && result.length > maxLength ? `${result.slice(0, maxLength)}…` : result
}
