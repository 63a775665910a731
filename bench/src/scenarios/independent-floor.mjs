import http from 'node:http'
import { createMinimalSigner } from '../minimal-signer.mjs'
import { envelopeFor, FUNCTION_NAME } from './bench-call.mjs'

const USER_AGENT = 'bench-floor/1'

/**
 * The least a correct CloudBase client does per call, built without any of our code: the request @cloudbase/node-sdk
 * sends (same headers and body fields), signed afresh by the bench's minimal signer, sent with a bare keep-alive
 * `http.request` (headers as a flat list), and the function's answer read from CloudBase's JSON-in-JSON. Ours is
 * judged against it.
 */
export const independentFloor = {
  name: 'independent floor: minimal signer, http.request',
  key: 'floor',
  create({ serviceUrl, credentials, env }) {
    const client = createFloorClient({ serviceUrl, credentials, env })
    return { call: () => client.call(), close: () => client.close() }
  },
}

/** A client of the HTTP service at `serviceUrl` (`http://host:port/admin`) that calls the bench's function. */
export function createFloorClient({ serviceUrl, credentials, env }) {
  const { host, pathname } = new URL(serviceUrl)
  const sign = createMinimalSigner(credentials)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 })
  let counter = 0
  const call = () => {
    const now = Date.now()
    counter += 1
    const seqId = `${now.toString(16)}_${counter.toString(16)}`
    const query = `env=${env}&seqId=${seqId}`
    const requestData = JSON.stringify(envelopeFor(`floor-${counter}`, now))
    const body = JSON.stringify({
      action: 'functions.invokeFunction',
      function_name: FUNCTION_NAME,
      request_data: requestData,
      envName: env,
      wxCloudApiToken: '',
      wxCloudbaseAccesstoken: '',
      tcb_sessionToken: '',
      crossAuthorizationToken: '',
    })
    const clientTimestamp = String(now)
    const timestamp = Math.floor(now / 1000) - 1
    const authorization = sign({
      timestamp,
      host,
      path: pathname,
      query,
      headers: [
        ['content-type', 'application/json'],
        ['host', host],
        ['user-agent', USER_AGENT],
        ['x-client-timestamp', clientTimestamp],
        ['x-sdk-version', USER_AGENT],
        ['x-tcb-source', ',unknown'],
      ],
      params: [
        ['action', 'functions.invokeFunction'],
        ['envname', env],
        ['function_name', FUNCTION_NAME],
        ['request_data', requestData],
      ],
    })
    const headers = [
      'content-type',
      'application/json',
      'User-Agent',
      USER_AGENT,
      'X-TCB-Source',
      ',unknown',
      'X-Client-Timestamp',
      clientTimestamp,
      'X-SDK-Version',
      USER_AGENT,
      'Host',
      host,
      'Authorization',
      authorization,
      'X-Signature-Expires',
      '600',
      'X-Timestamp',
      String(timestamp),
      'content-length',
      String(Buffer.byteLength(body)),
    ]
    return new Promise((resolve, reject) => {
      const request = http.request(`${serviceUrl}?${query}`, { method: 'POST', agent, headers }, (response) => {
        const chunks = []
        response.on('data', (chunk) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const answer = JSON.parse(text)
          const responseData = answer?.data?.response_data
          // A refused signature is an answer too (`{ code, message }`); only a call that reached the function counts.
          if (typeof responseData === 'string') resolve(JSON.parse(responseData))
          else reject(new Error(`CloudBase answered ${text}`))
        })
      })
      request.on('error', reject)
      request.end(body)
    })
  }
  return { call, close: () => agent.destroy() }
}
