/**
 * A small HTTPS client for tests: trusts the CA made in the test (never
 * rejectUnauthorized: false), optional client certificate, TLS version bounds,
 * and an optional keep-alive agent to reuse one connection.
 */
import https from 'node:https'
import type { SecureVersion } from 'node:tls'

export interface HttpsRequest {
  readonly url: string
  readonly ca: string
  readonly method?: string
  readonly headers?: Record<string, string | number>
  readonly body?: string | Buffer
  readonly cert?: string
  readonly key?: string
  readonly minVersion?: SecureVersion
  readonly maxVersion?: SecureVersion
  /** OpenSSL cipher string (e.g. to allow legacy protocols on the client side). */
  readonly ciphers?: string
  readonly agent?: https.Agent
  readonly ALPNProtocols?: string[]
}

export interface HttpsResponse {
  readonly statusCode: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
  /** Local port of the connection (equal across requests that reused one connection). */
  readonly localPort: number
  readonly tlsVersion: string | null
  readonly alpnProtocol: string | false | null
}

export function httpsRequest(req: HttpsRequest): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      req.url,
      {
        method: req.method ?? 'GET',
        headers: req.headers,
        ca: req.ca,
        cert: req.cert,
        key: req.key,
        minVersion: req.minVersion,
        maxVersion: req.maxVersion,
        ciphers: req.ciphers,
        agent: req.agent ?? false,
        ...(req.ALPNProtocols === undefined
          ? {}
          : ({ ALPNProtocols: req.ALPNProtocols } as object)),
      },
      (res) => {
        const chunks: Buffer[] = []
        const socket = res.socket as import('node:tls').TLSSocket
        const localPort = socket.localPort ?? 0
        const tlsVersion = socket.getProtocol?.() ?? null
        const alpnProtocol = socket.alpnProtocol ?? null
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            localPort,
            tlsVersion,
            alpnProtocol,
          }),
        )
        res.on('error', reject)
      },
    )
    r.on('error', reject)
    r.end(req.body)
  })
}

/** POSTs a JSON body (a TokenReview) to `url`. */
export function postJson(
  url: string,
  ca: string,
  body: unknown,
  extra: Omit<HttpsRequest, 'url' | 'ca' | 'body' | 'method'> = {},
): Promise<HttpsResponse> {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return httpsRequest({
    ...extra,
    url,
    ca,
    method: 'POST',
    body: text,
    headers: { 'Content-Type': 'application/json', ...(extra.headers ?? {}) },
  })
}

/** A TokenReview request body exactly as kube-apiserver sends it. */
export function tokenReviewBody(
  token: string,
  apiVersion = 'authentication.k8s.io/v1',
): Record<string, unknown> {
  return {
    kind: 'TokenReview',
    apiVersion,
    metadata: {},
    spec: { token, audiences: ['https://kubernetes.default.svc.cluster.local'] },
    status: { user: {} },
  }
}
