import { request as httpRequest } from 'node:http'

/**
 * POSTs a bridge `callFunction` of `name` as `oVictim` with exactly these headers (Host and Origin included, which
 * `fetch` would not let a test forge) and resolves with the HTTP status.
 */
export function postToBridge(port: string, headers: Record<string, string>, name: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/__page-module/wx-cloud/callFunction', headers },
      (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      },
    )
    request.on('error', reject)
    request.end(JSON.stringify({ name, openid: 'oVictim' }))
  })
}
