import { createFakeWxCloud, moduleAnswer, type FakeWxCloud } from '@page-module/mp/testing'

export interface SignUp {
  doSignIn: { input: Record<string, never>; output: { streak: number; signedToday: boolean; prize?: string } }
  getSignInStatus: { input: Record<string, never>; output: { streak: number; signedToday: boolean } }
}

/**
 * The `wx.cloud` the example tests run against: today a fake that answers like the tcb:SignUp module (a streak of 2,
 * then 3 after signing in, with 10 points at 3 days; a second sign-in the same day answers 1001).
 * The seam for the local emulator's `wx.cloud` bridge: return that here instead.
 */
export function createSignUpWxCloud(): FakeWxCloud<SignUp> {
  let streak = 2
  let signedToday = false
  return createFakeWxCloud<SignUp>({
    getSignInStatus: () => ({ streak, signedToday }),
    doSignIn: () => {
      if (signedToday) throw moduleAnswer(1001, '今天已经签到过了')
      signedToday = true
      streak += 1
      return streak === 3 ? { streak, signedToday, prize: '10 积分' } : { streak, signedToday }
    },
  })
}
