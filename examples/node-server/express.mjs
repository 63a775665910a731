// The same handler mounted in Express: the routes under their prefix, the rest of the app untouched.
import express from 'express'
import { toNodeListener } from '@page-module/wechat/server'
import { configFromEnv } from './config-from-env.mjs'
import { createWeChatApp } from './wechat-app.mjs'

export function createExpressApp(config) {
  const wechat = toNodeListener(createWeChatApp(config))
  const app = express()
  app.get('/health', (_request, response) => response.json({ ok: true }))
  app.use('/boilerplate/wechat/api/v1', (request, response) => wechat(request, response))
  app.get('/account', (request, response) => wechat(request, response))
  return app
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createExpressApp(configFromEnv()).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
    console.log(`Express WeChat server at http://127.0.0.1:${server.address().port}/account`),
  )
}
