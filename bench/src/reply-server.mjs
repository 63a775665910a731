// The trivial CloudBase /admin every scenario calls: reads the body, answers one fixed success. Runs in its own
// process (forked by run.mjs) so the server's work does not share the client's event loop.
import http from 'node:http'

const moduleAnswer = JSON.stringify({ code: 0, data: { ok: true }, requestId: 'bench' })
const answer = JSON.stringify({ requestId: 'bench-cloud-request', data: { response_data: moduleAnswer } })
const length = String(Buffer.byteLength(answer))

const server = http.createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': length })
    response.end(answer)
  })
})
server.keepAliveTimeout = 10_000
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }))
process.on('disconnect', () => process.exit(0))
