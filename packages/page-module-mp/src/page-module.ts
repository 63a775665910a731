import {
  PageModule as CorePageModule,
  PageModuleError,
  VERSION as CORE_VERSION,
  type MethodMap,
  type MethodMapOf,
  type PageModuleOptions as CorePageModuleOptions,
  type Transport,
} from '@page-module/core'
import type { WxLike } from './wx-cloud'
import { createWxCloudTransport } from './wx-cloud-transport'

declare const __PAGE_MODULE_VERSION__: string | undefined

/** The package version, written into the build. */
export const MP_VERSION: string = typeof __PAGE_MODULE_VERSION__ === 'string' ? __PAGE_MODULE_VERSION__ : CORE_VERSION

export interface PageModuleOptions extends Omit<CorePageModuleOptions, 'transport'> {
  /** Default: a `wx.cloud.callFunction` transport built from `env` and `wx`. */
  readonly transport?: Transport | undefined
  /** The cloud environment id for this module's calls; default: the one given to `wx.cloud.init()`. */
  readonly env?: string | undefined
  /** The `wx` object; default the mini-program's global `wx`. */
  readonly wx?: WxLike | undefined
}

/**
 * A page module called from a mini-program over `wx.cloud.callFunction`:
 * `await new PageModule('tcb:SignUp').callMethod('doSignIn', {})`.
 */
export class PageModule<Methods extends MethodMapOf<Methods> = MethodMap> extends CorePageModule<Methods> {
  constructor(id: string, options: PageModuleOptions = {}) {
    refuseSecrets(options)
    const { env, wx, transport, ...rest } = options
    super(id, {
      client: { name: '@page-module/mp', version: MP_VERSION },
      ...rest,
      transport: transport ?? createWxCloudTransport({ env, wx }),
    })
  }
}

// Keys of a server (secretId, secretKey, appSecret, sessionToken, accessKey…): a mini-program package can be unpacked by
// anyone, so none of them may ship in one.
const SERVER_SECRET_KEY = /secret|^(?:session|access)(?:token|key)$/i

function refuseSecrets(options: object): void {
  for (const key of Object.keys(options)) {
    if (SERVER_SECRET_KEY.test(key)) {
      throw new PageModuleError({
        code: 'INVALID_OPTIONS',
        requestSent: false,
        message:
          `${key} must never be in mini-program code: anyone can unpack a mini-program and read it. ` +
          'Remove it — wx.cloud.callFunction already calls as the signed-in user — and keep keys on your server (page-module on Node).',
      })
    }
  }
}
