import http from 'node:http'
import { buildInvokeRequest } from '@page-module/node'

/** A request like our transport's, built (and signed) by buildInvokeRequest. */
function invokeRequest({ serviceUrl, credentials, seqId, now }) {
  const envelope = { protocol: 'page-module/1', module: 'tcb:SignUp', method: 'doSignIn', requestId: 'bench', client: { name: 'bench', version: '0' }, timestamp: now, data: { day: '2026-11-21' } }
  return buildInvokeRequest({
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
    seqId,
    now,
    sdkVersion: 'bench',
    headers: {},
  })
}

function createPoster() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 })
  const post = ({ url, headers, body }) =>
    new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
        const chunks = []
        response.on('data', (chunk) => chunks.push(chunk))
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        response.on('error', reject)
      })
      request.on('error', reject)
      request.end(body)
    })
  return { post, close: () => agent.destroy() }
}

/**
 * The floor: the same bytes our transport sends (URL, signed headers, body), built once and replayed over one
 * keep-alive agent with a bare http.request, so the gap to it is exactly what the SDK does per call.
 */
export const rawHttp = {
  name: 'raw keep-alive http.request',
  key: 'raw',
  create({ serviceUrl, credentials }) {
    const request = invokeRequest({ serviceUrl, credentials, seqId: 'bench_1', now: Date.now() })
    const { post, close } = createPoster()
    return { call: () => post(request), close }
  },
}

/** What any CloudBase client must do at least: the same request, built and signed afresh for every call. */
export const rawSignedHttp = {
  name: 'raw http.request, signed per call',
  key: 'rawSigned',
  create({ serviceUrl, credentials }) {
    const { post, close } = createPoster()
    let counter = 0
    return { call: () => post(invokeRequest({ serviceUrl, credentials, seqId: `bench_${++counter}`, now: Date.now() })), close }
  },
}
