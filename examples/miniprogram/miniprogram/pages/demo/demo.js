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
        const { streak, signedToday, prize } = await signUp.callMethod('doSignIn', {})
        const first = signedToday ? '签到成功' : '今天已经签到过了'
        this.setData({ result: `${first}，连续 ${streak} 天${prize ? `，获得 ${prize}` : ''}` })
      } catch (error) {
        this.setData({ error: error.message })
      } finally {
        this.setData({ busy: false })
      }
    },
  },
})
