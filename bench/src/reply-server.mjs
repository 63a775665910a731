// The trivial CloudBase /admin every throughput scenario calls first: reads the body, answers one fixed success.
// Runs in its own process (forked by the bench) so the server's work does not share the client's event loop.
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
server.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}`
  process.send?.({
    url,
    serviceUrl: `${url}/admin`,
    env: 'bench-env',
    credentials: { secretId: 'AKIDbench', secretKey: 'bench-secret-key' },
  })
})
process.on('disconnect', () => process.exit(0))
