import { parseArgs } from 'node:util'
import { PageModuleError } from '@page-module/core'
import { createFileTokenStore } from '../tokens/file-token-store'
import { createMemoryTokenStore } from '../tokens/memory-token-store'
import { createTokenServer, type TokenServerApp } from './token-server'
import type { TokenStore } from '../tokens/token-store'

export const TOKEN_SERVER_USAGE =
  'Usage: page-module-token-server [--port 8330] [--host 127.0.0.1] [--store memory|file:<path>|redis|redis://...] ' +
  `[--stable] [--api-base-url <url>]

Environment:
  PAGE_MODULE_TOKEN_SERVER_SECRET  the bearer secret clients send (at least 16 characters)
  WECHAT_APPS                      the apps to serve: appid:secret[,appid:secret...]
  REDIS_URL                        the Redis of --store redis (keeps its password out of the arguments)

Routes (Authorization: Bearer <secret>):
  GET  /v1/token?appid=<appid>          -> { "access_token", "expires_in" }
  POST /v1/token/invalidate             { "appid", "access_token" } -> { "expired": true|false }`

export interface TokenServerCliIo {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly stdout?: (line: string) => void
}

/**
 * `page-module-token-server`: starts a token server from arguments and environment variables and resolves once
 * it listens. Secrets come only from the environment, never from arguments (which `ps` shows).
 */
export async function runTokenServerCli(
  args: readonly string[],
  io: TokenServerCliIo = {},
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const env = io.env ?? process.env
  const stdout = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`))
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string', default: '8330' },
      host: { type: 'string', default: '127.0.0.1' },
      store: { type: 'string', default: 'memory' },
      stable: { type: 'boolean', default: false },
      'api-base-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    stdout(TOKEN_SERVER_USAGE)
    return { url: '', close: async () => undefined }
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw usageError(`--port ${values.port} is not a port number`)
  const apps = parseApps(env['WECHAT_APPS'] ?? '', values.stable)
  const store = await openStore(values.store === 'redis' ? (env['REDIS_URL'] ?? '') : values.store)
  const server = createTokenServer({
    secret: env['PAGE_MODULE_TOKEN_SERVER_SECRET'] ?? '',
    apps,
    store,
    ...(values['api-base-url'] === undefined ? {} : { apiBaseUrl: values['api-base-url'] }),
  })
  const { url } = await server.listen(port, values.host)
  stdout(`page-module token server: ${apps.map((app) => app.appId).join(', ')} on ${url}`)
  return {
    url,
    async close() {
      await server.close()
      await store.close?.()
    },
  }
}

function parseApps(text: string, stable: boolean): TokenServerApp[] {
  const apps = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.indexOf(':')
      if (colon <= 0) throw usageError('WECHAT_APPS entries are appid:secret')
      return { appId: entry.slice(0, colon), appSecret: entry.slice(colon + 1), stable }
    })
  if (apps.length === 0) throw usageError('set WECHAT_APPS=appid:secret[,appid:secret...]')
  return apps
}

async function openStore(spec: string): Promise<TokenStore> {
  if (spec === 'memory') return createMemoryTokenStore()
  if (spec.startsWith('file:')) return createFileTokenStore(spec.slice('file:'.length))
  if (/^rediss?:\/\//.test(spec)) {
    const { createRedisTokenStore } = await import('../redis/redis-token-store')
    return createRedisTokenStore({ url: spec })
  }
  throw usageError(`--store ${spec} is not memory, file:<path>, redis (with REDIS_URL) or redis://…`)
}

function usageError(problem: string): PageModuleError {
  return new PageModuleError({ code: 'INVALID_OPTIONS', message: `${problem}\n\n${TOKEN_SERVER_USAGE}`, requestSent: false })
}
