// What the business sets when installing the module.
module.exports = {
  moduleId: 'tcb:SignUp',
  // The cloud environment of the module's function; undefined uses wx.cloud.init()'s env.
  env: undefined,
}
