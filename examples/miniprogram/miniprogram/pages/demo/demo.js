// The page calls the module directly: `page-module` comes from miniprogram/miniprogram_npm after 构建 npm.
const { PageModule } = require('page-module')

const signUp = new PageModule('tcb:SignUp')

// Component() rather than Page() works for pages too, and lets miniprogram-simulate render this one.
Component({
  data: { busy: false, result: '', error: '' },
  methods: {
    async signIn() {
      this.setData({ busy: true, result: '', error: '' })
      try {
        // prize is the business's answer (its custom interface sendPrize): code 0 with the points granted.
        const { streak, prize } = await signUp.callMethod('doSignIn', {})
        this.setData({ result: `签到成功，连续 ${streak} 天${prize.code === 0 ? `，获得 ${prize.points} 积分` : ''}` })
      } catch (error) {
        this.setData({ error: error.message })
      } finally {
        this.setData({ busy: false })
      }
    },
  },
})
