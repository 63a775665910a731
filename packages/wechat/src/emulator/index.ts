export {
  createWeChatApiEmulator,
  type WeChatApiEmulator,
  type WeChatApiEmulatorOptions,
  type WeChatApiEmulatorCounters,
  type EmulatedApp,
  type InvokeFunction,
  type TokenEndpoint,
} from './wechat-api-emulator'
