// The custom interfaces of tcb:SignUp: each call is routed to api/<name>.js. Nothing to change here.
const { createCustomApiRouter } = require('@page-module/host')

exports.main = createCustomApiRouter({ dir: __dirname })
