// `import { smProtection } from 'page-module/sm'` on Node: SM protection with Node's Web Crypto random source.
export { smProtection, SM_ALGORITHM, type SmProtectionOptions } from '@page-module/host/sm'
