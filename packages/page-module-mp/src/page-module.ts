import {
  PageModule as CorePageModule,
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
    const { env, wx, transport, ...rest } = options
    super(id, {
      client: { name: '@page-module/mp', version: MP_VERSION },
      ...rest,
      transport: transport ?? createWxCloudTransport({ env, wx }),
    })
  }
}
