import { PageModuleError } from '@page-module/core'
import { CLOUDBASE_HTTP_KEYS } from './cloudbase/cloudbase-transport-options'
import { WECHAT_API_KEYS } from './wechat-api/wechat-api-transport'

/** The transports `new PageModule(id, options)` can pick, each by keys of its own. */
export type TransportChoice = 'cloudbase' | 'wx-server-sdk' | 'wechat-api' | 'custom'

const KEYS_OF: Readonly<Record<TransportChoice, readonly string[]>> = {
  cloudbase: CLOUDBASE_HTTP_KEYS,
  'wx-server-sdk': ['cloud'],
  'wechat-api': WECHAT_API_KEYS,
  custom: ['transport'],
}

const DESCRIPTION: Readonly<Record<TransportChoice, string>> = {
  cloudbase: 'CloudBase signed HTTP (secretId/secretKey, accessKey, serviceUrl, region, headers, agent, logger, environment)',
  'wx-server-sdk': "wx-server-sdk's cloud.callFunction (cloud)",
  'wechat-api': 'the WeChat HTTP API (appId/appSecret or tokens, with stable, store, apiBaseUrl, fetch)',
  custom: 'a transport of your own (transport)',
}

/**
 * Options of `@cloudbase/node-sdk`'s `init` that PageModule has no use for, each with what to pass instead: refused,
 * since JavaScript callers would otherwise have them silently ignored. (`timeout` is ours too, in the same milliseconds.)
 */
export const NODE_SDK_ONLY_OPTIONS = {
  keepalive: 'sockets are kept alive by default outside a cloud function; to choose, pass agent: new https.Agent({ keepAlive })',
  proxy: 'pass agent (an HTTP proxy agent) to go through a forward proxy, or serviceUrl for a reverse proxy in front of /admin',
  protocol: 'put the scheme in serviceUrl (http://… or https://…/admin)',
  credentials: 'it signs custom-login tickets (auth().createTicket), which PageModule does not mint; keep @cloudbase/node-sdk for that',
  version: 'PageModule sends its own SDK version; drop it',
  context:
    'inside a cloud function the credentials and env are read for you; from a functions-framework context pass ' +
    'extendedContext.tmpSecret as secretId/secretKey/sessionToken and extendedContext.envId as env',
  getCrossAccountInfo: 'cross-account calls are not supported; call with the keys of the account that owns the env',
} as const

/** A key of `@cloudbase/node-sdk`'s `init` refused by `new PageModule` (see NODE_SDK_ONLY_OPTIONS). */
export type NodeSdkOnlyOption = keyof typeof NODE_SDK_ONLY_OPTIONS

/** Keys every transport reads, except a transport of your own, which reads no `env`. */
const SHARED_BY_ALL_BUT_CUSTOM = 'env'

/**
 * The transport the options pick: the one whose keys they use (none: CloudBase signed HTTP, with the keys of the
 * environment). Keys of two transports are refused with both named, rather than one of them silently ignored.
 */
export function chooseTransport(options: Readonly<Record<string, unknown>>): TransportChoice {
  for (const key of Object.keys(NODE_SDK_ONLY_OPTIONS) as NodeSdkOnlyOption[]) {
    if (options[key] === undefined) continue
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      requestSent: false,
      message: `${key} is an option of @cloudbase/node-sdk's init that PageModule does not take — ${NODE_SDK_ONLY_OPTIONS[key]}`,
    })
  }
  // In the order of KEYS_OF, so a message always names the two transports the same way round.
  const used: Array<[TransportChoice, string]> = []
  for (const choice of Object.keys(KEYS_OF) as TransportChoice[]) {
    const key = KEYS_OF[choice].find((name) => options[name] !== undefined)
    if (key !== undefined) used.push([choice, key])
  }
  const [first, second] = used
  if (first !== undefined && second !== undefined) {
    const [[firstChoice, firstKey], [secondChoice, secondKey]] = [first, second]
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      requestSent: false,
      message:
        `${firstKey} and ${secondKey} pick different transports — ${firstKey} is for ${DESCRIPTION[firstChoice]}, ` +
        `${secondKey} for ${DESCRIPTION[secondChoice]}; pass the options of one`,
    })
  }
  const choice = first?.[0] ?? 'cloudbase'
  if (choice === 'custom' && options[SHARED_BY_ALL_BUT_CUSTOM] !== undefined) {
    throw new PageModuleError({
      code: 'INVALID_OPTIONS',
      requestSent: false,
      message: `transport and env do not go together — a transport of your own knows its environment; drop env, or drop transport`,
    })
  }
  return choice
}
