/**
 * The bench's OIDC issuers: one loopback HTTPS server answering discovery and
 * JWKS for every issuer under `/<name>/`. Issuer URLs are port-free
 * (see mint.ts), so discovery names the real loopback `jwks_uri`.
 */
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { BenchIssuer } from './mint.js'

export interface IssuerServer {
  readonly port: number
  /** `discoveryURL` of an issuer. */
  discoveryURL(issuer: BenchIssuer): string
  /** Discovery and JWKS requests answered so far. */
  readonly requests: number
  close(): Promise<void>
}

export async function startIssuerServer(
  issuers: readonly BenchIssuer[],
  tls: { cert: string; key: string },
): Promise<IssuerServer> {
  let port = 0
  let requests = 0
  const byName = new Map(issuers.map((issuer) => [issuer.name, issuer]))
  const server = https.createServer(
    { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' },
    (req, res) => {
      requests++
      const match = /^\/([^/]+)\/(\.well-known\/openid-configuration|jwks)$/.exec(req.url ?? '')
      const issuer = match?.[1] === undefined ? undefined : byName.get(match[1])
      if (match === null || issuer === undefined || req.method !== 'GET') {
        res.writeHead(404).end()
        return
      }
      const base = `https://127.0.0.1:${port}/${issuer.name}`
      const body =
        match[2] === 'jwks'
          ? { keys: issuer.keys.map((k) => k.publicJwk) }
          : {
              issuer: issuer.url,
              jwks_uri: `${base}/jwks`,
              id_token_signing_alg_values_supported: [...new Set(issuer.keys.map((k) => k.alg))],
              response_types_supported: ['id_token'],
              subject_types_supported: ['public'],
            }
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'public, max-age=3600',
      })
      res.end(JSON.stringify(body))
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  return {
    port,
    discoveryURL: (issuer) =>
      `https://127.0.0.1:${port}/${issuer.name}/.well-known/openid-configuration`,
    get requests() {
      return requests
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
