// `@page-module/host/sm-client`: the client side of SM protection with the random source left to the runtime, no
// Node built-in — what `page-module/sm` builds its mini-program and Node entries from.
export { createSmProtection, type SmProtectionOptions } from '../sm/sm-protection'
export { webCryptoRandomSource, wxRandomSource, type RandomSource } from '../sm/random-source'
export { SM_ALGORITHM, SM_SCHEME } from '../sm/sm-wire'
