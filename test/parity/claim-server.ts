/**
 * The loopback HTTPS server behind the oidc_test.go parity cases, shaped like
 * upstream's `newClaimServer`: discovery (at `/.well-known/openid-configuration`
 * under any path prefix), the case's public keys at `/.testing/keys`, and signed
 * distributed-claim JWTs at `/groups` and `/rabbits` (which require
 * `Authorization: Bearer <claim>_token`). What it serves is set per case.
 */
import { createServer, type Server } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'

export interface ServedCase {
  /** Discovery document text. */
  discovery: string
  /** JWKS text. */
  jwks: string
  /** Distributed-claim JWTs by claim name (`/groups` serves `groups`). */
  claimTokens: Record<string, string>
}

export interface ClaimServer {
  readonly url: string
  readonly caPem: string
  /** What the next requests get; `undefined` answers 404 everywhere. */
  current: ServedCase | undefined
  /** Distributed-claim requests that carried the wrong bearer token. */
  readonly badAuthorizations: string[]
  stop(): Promise<void>
}

const WELL_KNOWN = '/.well-known/openid-configuration'

export async function startClaimServer(): Promise<ClaimServer> {
  const ca = await createCertificateAuthority({ commonName: 'oidc parity CA' })
  const serving = await createServerCertificate(ca, { commonName: 'localhost' })
  const sockets = new Set<Socket>()
  const state: ClaimServer = {
    url: '',
    caPem: ca.certPem,
    current: undefined,
    badAuthorizations: [],
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req, res) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname
      const served = state.current
      const json = { 'content-type': 'application/json' }
      if (served !== undefined && path.endsWith(WELL_KNOWN)) {
        res.writeHead(200, json).end(served.discovery)
        return
      }
      if (served !== undefined && path === '/.testing/keys') {
        res.writeHead(200, json).end(served.jwks)
        return
      }
      const claim = path.slice(1)
      const token = served?.claimTokens[claim]
      if ((claim === 'groups' || claim === 'rabbits') && token !== undefined) {
        if (req.headers.authorization !== `Bearer ${claim}_token`)
          state.badAuthorizations.push(path)
        res.writeHead(200, { 'content-type': 'application/jwt' }).end(token)
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`unexpected URL: ${path}`)
    },
  )
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  Object.assign(state, { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` })
  return state
}
