// One instance of an emulated cloud function: a child process that loads the function folder's index.js
// once at start (SCF's initialization, timed apart from invocations) and then runs one invocation at a time,
// sent over IPC by the emulator.
'use strict'
const path = require('node:path')

let functionModule
const perInvocationKeys = new Set()

process.on('message', async (message) => {
  if (!message || message.type !== 'invoke') return
  const { id, event, context, environment } = message
  setInvocationEnvironment(environment)
  try {
    const main = functionModule && functionModule.main
    if (typeof main !== 'function') throw new Error('index.js must export an async function main(event, context)')
    const result = await main(event, context)
    send({ type: 'result', id, ok: true, result: result === undefined ? null : result })
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error))
    send({ type: 'result', id, ok: false, error: { name: failure.name, message: failure.message, stack: failure.stack } })
  }
})

// The emulator fails the call if an async error escapes main; the instance is then replaced.
process.on('uncaughtException', (error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`)
  process.exit(1)
})
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`Unhandled rejection: ${reason && reason.stack ? reason.stack : String(reason)}\n`)
  process.exit(1)
})

function setInvocationEnvironment(environment) {
  for (const key of perInvocationKeys) delete process.env[key]
  perInvocationKeys.clear()
  for (const [key, value] of Object.entries(environment || {})) {
    process.env[key] = value
    perInvocationKeys.add(key)
  }
}

function send(message) {
  try {
    process.send(message)
  } catch (error) {
    process.send({
      type: 'result',
      id: message.id,
      ok: false,
      error: { name: 'Error', message: `the function's result cannot be sent: ${error.message}` },
    })
  }
}

// Initialization: index.js and everything it requires load before the first invocation, as in SCF.
try {
  functionModule = require(path.resolve(process.cwd(), 'index.js'))
  process.send({ type: 'ready' })
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error))
  process.send({ type: 'init-failed', error: { name: failure.name, message: failure.message, stack: failure.stack } })
}
