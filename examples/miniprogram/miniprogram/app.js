App({
  onLaunch() {
    // Every wx.cloud call uses this env unless a PageModule is given its own `env`.
    wx.cloud.init({ env: wx.cloud.DYNAMIC_CURRENT_ENV, traceUser: true })
  },
})
