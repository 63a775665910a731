// The sign-in module tcb:SignUp: one sign-in per user per day, a streak, and a prize from the business
// (its custom interface sendPrize) after each sign-in.
const cloud = require('wx-server-sdk')
const { defineModule, moduleAnswer } = require('@page-module/host')
const { createSignInStore } = require('./sign-in-store')

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()
const store = createSignInStore()

const ALREADY_SIGNED_IN = 1001
const USER_REQUIRED = 1002

exports.main = defineModule({
  id: 'tcb:SignUp',
  methods: {
    /** @param {{ userId?: string, day?: string }} data */
    async doSignIn(data, context) {
      const user = userOf(data, context)
      const day = dayOf(data, context)
      const signIn = store.signIn(user, day)
      if (!signIn) throw moduleAnswer(ALREADY_SIGNED_IN, `already signed in on ${day}`)
      await recordSignIn({ user, day, streak: signIn.streak, at: db.serverDate() })
      let prize
      try {
        prize = await context.callCustomApi('sendPrize', { user, day, streak: signIn.streak })
      } catch (error) {
        // The sign-in stands even when the business cannot grant the prize; the caller learns why.
        prize = { code: error.moduleCode ?? -2, msg: error.message }
      }
      return { day, streak: signIn.streak, prize }
    },

    /** @param {{ userId?: string, day?: string }} [data] */
    async getSignInStatus(data, context) {
      const user = userOf(data || {}, context)
      return store.status(user, dayOf(data || {}, context))
    },
  },
})

// Every sign-in is also a record in the cloud database (collection sign_ins), which a Node server can read over
// WeChat's HTTP API; the collection is created on first use.
async function recordSignIn(record) {
  try {
    await db.collection('sign_ins').add({ data: record })
  } catch (error) {
    if (error.errCode !== -502005) throw error
    await db.createCollection('sign_ins').catch(() => {})
    await db.collection('sign_ins').add({ data: record })
  }
}

// A mini-program user is who WeChat says; only a server (holding the env's keys) may name a user.
function userOf(data, context) {
  if (context.caller.type === 'wechat-user') return context.caller.openid
  if (typeof data.userId === 'string' && /^[\w-]{1,64}$/.test(data.userId)) return data.userId
  throw moduleAnswer(USER_REQUIRED, 'a server call names the user: { userId }')
}

// Users sign in for today (China time); a server may name the day, e.g. to backfill.
function dayOf(data, context) {
  if (context.caller.type === 'server' && typeof data.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.day)) return data.day
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
