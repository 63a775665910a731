// One service process of the token section: waits for the go, then makes `calls` concurrent getAccessToken()
// and reports the distinct tokens it got and how long the crowd took.
import { performance } from 'node:perf_hooks'
import { createAccessTokenManager, createFileTokenStore, createMemoryTokenStore } from '@page-module/wechat'
import { createRedisTokenStore } from '@page-module/wechat/redis'

const config = JSON.parse(process.argv[2])
const store =
  config.store === 'redis'
    ? createRedisTokenStore({ url: config.location, prefix: config.prefix })
    : config.store === 'file'
      ? createFileTokenStore(config.location)
      : createMemoryTokenStore()
const manager = createAccessTokenManager({ appId: config.appId, appSecret: config.appSecret, store, apiBaseUrl: config.apiBaseUrl })
process.send({ ready: true })
process.once('message', async () => {
  const started = performance.now()
  const tokens = await Promise.all(Array.from({ length: config.calls }, () => manager.getAccessToken()))
  const milliseconds = performance.now() - started
  manager.close()
  await store.close?.()
  process.send({ tokens: [...new Set(tokens)], milliseconds }, () => process.exit(0))
})
