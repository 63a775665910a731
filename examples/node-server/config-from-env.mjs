/** The server's settings from the environment (secrets never on the command line). */
export function configFromEnv(env = process.env) {
  const required = (name) => {
    const value = env[name]
    if (!value) throw new Error(`set ${name} in the environment`)
    return value
  }
  return {
    miniProgram: { appId: required('WECHAT_MINIPROGRAM_APPID'), appSecret: required('WECHAT_MINIPROGRAM_SECRET') },
    officialAccount: { appId: required('WECHAT_MP_APPID'), appSecret: required('WECHAT_MP_SECRET') },
    sessionSecret: required('SESSION_SECRET'),
    push: { token: required('WECHAT_PUSH_TOKEN'), ...(env.WECHAT_PUSH_AES_KEY ? { encodingAesKey: env.WECHAT_PUSH_AES_KEY } : {}) },
    ...(env.WECHAT_API_BASE_URL ? { apiBaseUrl: env.WECHAT_API_BASE_URL, openBaseUrl: env.WECHAT_API_BASE_URL } : {}),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  }
}
