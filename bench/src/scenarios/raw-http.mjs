import http from 'node:http'
import { buildInvokeRequest } from '@page-module/node'

/**
 * The floor: the same bytes our transport sends (URL, signed headers, body), built once and replayed over one
 * keep-alive agent with a bare http.request, so the gap to it is exactly what the SDK does per call.
 */
export const rawHttp = {
  name: 'raw keep-alive http.request',
  key: 'raw',
  create({ serviceUrl, credentials }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 100 })
    const envelope = { protocol: 'page-module/1', module: 'tcb:SignUp', method: 'doSignIn', requestId: 'bench', client: { name: 'bench', version: '0' }, timestamp: Date.now(), data: { day: '2026-11-21' } }
    const { url, headers, body } = buildInvokeRequest({
      functionName: 'tcb-SignUp',
      requestData: JSON.stringify(envelope),
      env: 'bench-env',
      credentials: { kind: 'signature', ...credentials },
      context: {},
      runtimeTag: 'unknown',
      region: '',
      runtimeRegion: '',
      internal: false,
      serviceUrl,
      seqId: 'bench_1',
      now: Date.now(),
      sdkVersion: 'bench',
      headers: {},
    })
    const requestHeaders = { ...headers, 'content-length': String(Buffer.byteLength(body)) }
    const call = () =>
      new Promise((resolve, reject) => {
        const request = http.request(url, { method: 'POST', agent, headers: requestHeaders }, (response) => {
          const chunks = []
          response.on('data', (chunk) => chunks.push(chunk))
          response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
          response.on('error', reject)
        })
        request.on('error', reject)
        request.end(body)
      })
    return { call, close: () => agent.destroy() }
  },
}
