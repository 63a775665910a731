import path from 'node:path'
import { createWeChatClient } from '@page-module/wechat'
import { createCloudDatabase } from '@page-module/wechat/database'
import { startForkedServer } from './forked-server.mjs'
import { measureSideBySide } from './measure.mjs'
import { roundByRoundRatio } from './statistics.mjs'

// The statement the hand-built request sends: the one our client builds for the same where().limit().get().
const STATEMENT = 'db.collection("todos").where({"done":true,"priority":_.gte(3)}).limit(10).get()'

/**
 * `db.collection('todos').where(…).limit(10).get()` of `@page-module/wechat/database` against a hand-built
 * `tcb/databasequery` request (one fetch with a fixed statement and token, `JSON.parse` of each record), side by
 * side on the same emulator; the ratio is ours over the hand-built one.
 */
export async function measureDatabaseQuery({ concurrency, rounds, roundMs, warmupMs }) {
  const server = await startForkedServer(path.join(import.meta.dirname, 'database-server.mjs'))
  try {
    const client = createWeChatClient({ appId: server.appId, appSecret: server.appSecret, apiBaseUrl: server.apiBaseUrl })
    const db = createCloudDatabase({ env: server.env, client })
    const _ = db.command
    const ours = () =>
      db
        .collection('todos')
        .where({ done: true, priority: _.gte(3) })
        .limit(10)
        .get()
    // Both contenders use the same access_token: the client's, fetched once.
    const accessToken = await client.tokens.withAccessToken(async (token) => token)
    const url = `${server.apiBaseUrl}/tcb/databasequery?access_token=${encodeURIComponent(accessToken)}`
    const body = JSON.stringify({ env: server.env, query: STATEMENT })
    const handBuilt = async () => {
      const reply = await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()
      if (reply.errcode !== 0) throw new Error(`databasequery answered ${reply.errcode} ${reply.errmsg}`)
      return reply.data.map((record) => JSON.parse(record))
    }
    const [checkOurs, checkHandBuilt] = [await ours(), await handBuilt()]
    if (JSON.stringify(checkOurs.data) !== JSON.stringify(checkHandBuilt)) throw new Error('the two contenders read different records')
    const [handBuiltResult, oursResult] = await measureSideBySide([{ call: handBuilt }, { call: ours }], {
      concurrency,
      rounds,
      roundMs,
      warmupMs,
    })
    return [
      { name: 'hand-built tcb/databasequery (fetch + JSON.parse)', concurrency, ...handBuiltResult, vsHandBuilt: 1 },
      {
        name: '@page-module/wechat/database where().get()',
        concurrency,
        ...oursResult,
        vsHandBuilt: roundByRoundRatio(oursResult, handBuiltResult),
      },
    ]
  } finally {
    await server.stop()
  }
}
