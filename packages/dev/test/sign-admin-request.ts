import { sign } from '@cloudbase/signature-nodejs'

export interface AdminRequestToSign {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly secretId: string
  readonly secretKey: string
  /** `/admin?env=…` */
  readonly pathAndQuery: string
  readonly headers: Record<string, string>
  readonly params: Record<string, unknown>
  readonly timestamp: number
}

/** The `authorization` the official signer gives an `/admin` request, as `@cloudbase/node-sdk` signs it. */
export function signAdminRequest(request: AdminRequestToSign): string {
  const { authorization } = sign({
    secretId: request.secretId,
    secretKey: request.secretKey,
    method: 'post',
    url: `http://${new URL(request.url).host}${request.pathAndQuery}`,
    headers: request.headers,
    params: request.params,
    timestamp: request.timestamp,
    withSignedParams: true,
  })
  return authorization
}
