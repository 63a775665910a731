// The WeChat server on Node's http module: `node server.mjs` with the settings of config-from-env.mjs in the environment.
import { createServer } from 'node:http'
import { toNodeListener } from '@page-module/wechat/server'
import { configFromEnv } from './config-from-env.mjs'
import { createWeChatApp } from './wechat-app.mjs'

/** Starts the server on 127.0.0.1; resolves with its URL and a close function. */
export async function startServer(config, port = 0) {
  const server = createServer(toNodeListener(createWeChatApp(config)))
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  return { url, close: () => new Promise((resolve) => server.close(resolve)) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startServer(configFromEnv(), Number(process.env.PORT ?? 3000))
  console.log(`WeChat server at ${url}/account`)
}
