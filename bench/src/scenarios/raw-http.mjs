import http from 'node:http'
import { buildInvokeRequest } from '@page-module/node'
import { envelopeFor, FUNCTION_NAME } from './bench-call.mjs'

/** A request like our transport's, built (and signed) by buildInvokeRequest. */
function invokeRequest({ serviceUrl, credentials, env, seqId, now }) {
  return buildInvokeRequest({
    functionName: FUNCTION_NAME,
    requestData: JSON.stringify(envelopeFor(seqId, now)),
    env,
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
      const request = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (response) => {
          const chunks = []
          response.on('data', (chunk) => chunks.push(chunk))
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            const answer = JSON.parse(text)
            // A refused signature is an answer too; the bench counts only calls that reached the function.
            if (typeof answer?.data?.response_data === 'string') resolve(answer)
            else reject(new Error(`CloudBase answered ${text}`))
          })
          response.on('error', reject)
        },
      )
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
  create({ serviceUrl, credentials, env }) {
    const request = invokeRequest({ serviceUrl, credentials, env, seqId: 'bench_1', now: Date.now() })
    const { post, close } = createPoster()
    return { call: () => post(request), close }
  },
}

/** What any CloudBase client must do at least: the same request, built and signed afresh for every call. */
export const rawSignedHttp = {
  name: 'raw http.request, signed per call',
  key: 'rawSigned',
  create({ serviceUrl, credentials, env }) {
    const { post, close } = createPoster()
    let counter = 0
    return { call: () => post(invokeRequest({ serviceUrl, credentials, env, seqId: `bench_${++counter}`, now: Date.now() })), close }
  },
}
