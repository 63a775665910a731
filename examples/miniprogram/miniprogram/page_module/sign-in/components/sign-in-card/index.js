// `page-module` resolves from this module's own miniprogram_npm (page_module/sign-in/miniprogram_npm).
const PageModule = require('page-module')
const config = require('../../config')

Component({
  data: { busy: false, status: '', result: '', error: '' },
  lifetimes: {
    attached() {
      this.signUp = new PageModule(config.moduleId, { env: config.env })
      this.loadStatus()
    },
  },
  methods: {
    async loadStatus() {
      try {
        const { streak, signedToday } = await this.signUp.callMethod('getSignInStatus', {})
        this.setData({ status: signedToday ? `今天已签到，连续 ${streak} 天` : `已连续 ${streak} 天，今天还没签到` })
      } catch (error) {
        this.setData({ error: error.message })
      }
    },
    async signIn() {
      this.setData({ busy: true, result: '', error: '' })
      try {
        const { streak, prize } = await this.signUp.callMethod('doSignIn', {})
        const points = prize.code === 0 ? `，获得 ${prize.points} 积分` : ''
        this.setData({ result: `签到成功，连续 ${streak} 天${points}`, status: `今天已签到，连续 ${streak} 天` })
      } catch (error) {
        this.setData({ error: error.message })
      } finally {
        this.setData({ busy: false })
      }
    },
  },
})
