// The same handler mounted in Koa: requests under the prefix (and /account) go to it, the rest to the app.
import Koa from 'koa'
import { toNodeListener } from '@page-module/wechat/server'
import { configFromEnv } from './config-from-env.mjs'
import { createWeChatApp } from './wechat-app.mjs'

export function createKoaApp(config) {
  const wechat = toNodeListener(createWeChatApp(config))
  const app = new Koa()
  app.use(async (ctx, next) => {
    if (ctx.path !== '/account' && !ctx.path.startsWith('/boilerplate/wechat/api/v1/')) return next()
    ctx.respond = false
    await wechat(ctx.req, ctx.res)
  })
  app.use((ctx) => {
    if (ctx.path === '/health') ctx.body = { ok: true }
  })
  return app
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createKoaApp(configFromEnv()).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
    console.log(`Koa WeChat server at http://127.0.0.1:${server.address().port}/account`),
  )
}
