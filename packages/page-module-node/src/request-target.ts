import type { RequestOptions } from 'node:http'
import { urlToHttpOptions } from 'node:url'

// Characters the URL parser copies into a query unchanged, so the parsed base plus the raw query is what Node sends.
const PLAIN_QUERY = /^[\w.~=&-]+$/

interface ParsedBase {
  readonly protocol: string | null | undefined
  readonly hostname: string | null | undefined
  readonly port: string | number | null | undefined
  readonly auth: string | null | undefined
  readonly pathname: string
}

let cachedBase = ''
let cachedParse: ParsedBase | undefined

/**
 * The parts of `url` that `http.request` reads, as Node derives them from the string, with the part before the
 * query parsed once and reused (only the seqId in the query changes per call); any other URL is parsed whole.
 */
export function requestTargetOf(url: string): RequestOptions {
  const queryStart = url.indexOf('?')
  const base = url.slice(0, queryStart)
  const query = url.slice(queryStart + 1)
  if (queryStart < 0 || !PLAIN_QUERY.test(query) || base.includes('#')) return targetOf(parseBase(url), urlToHttpOptions(new URL(url)).path ?? '/')
  if (base !== cachedBase || cachedParse === undefined) {
    cachedParse = parseBase(base)
    cachedBase = base
  }
  return targetOf(cachedParse, `${cachedParse.pathname}?${query}`)
}

function parseBase(url: string): ParsedBase {
  // A plain object: urlToHttpOptions returns a null-prototype one, which V8 keeps in slow dictionary mode.
  const parsed = urlToHttpOptions(new URL(url)) as RequestOptions & { pathname?: string | null }
  return { protocol: parsed.protocol, hostname: parsed.hostname, port: parsed.port, auth: parsed.auth, pathname: parsed.pathname ?? '/' }
}

function targetOf(parsed: ParsedBase, path: string): RequestOptions {
  return { protocol: parsed.protocol, hostname: parsed.hostname, port: parsed.port, auth: parsed.auth, path }
}
