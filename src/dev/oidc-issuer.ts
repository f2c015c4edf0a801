/**
 * The embedded OIDC issuer of the `dev` command: node-oidc-provider (OpenID
 * Certified) over HTTPS on loopback, with its development login screens, a
 * public PKCE client for kubectl/kubelogin and the demo accounts. Never for
 * production: any demo user logs in without a password.
 */
import https from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import Provider from 'oidc-provider'
import { DEMO_USERS, DEV_CLIENT_ID, DEV_REDIRECT_URIS } from './demo-users.js'

export interface DevIssuerOptions {
  host?: string
  /** 0 picks a free port. */
  port: number
  certPem: string
  keyPem: string
  /** id_token lifetime in seconds (default 3600). */
  idTokenTtlSeconds?: number
}

export interface DevIssuer {
  readonly url: string
  close(): Promise<void>
}

function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>
  return { ...jwk, kid: `dev-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' }
}

export async function startDevIssuer(opts: DevIssuerOptions): Promise<DevIssuer> {
  const host = opts.host ?? '127.0.0.1'
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503
    res.end()
  }
  const server = https.createServer({ cert: opts.certPem, key: opts.keyPem, minVersion: 'TLSv1.2' }, (req, res) =>
    handler(req, res),
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`

  const provider = new Provider(url, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [...DEV_REDIRECT_URIS],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    async findAccount(_ctx, sub) {
      const user = DEMO_USERS[sub]
      if (!user) return undefined
      return {
        accountId: sub,
        async claims() {
          return {
            sub: user.sub,
            email: user.email,
            email_verified: user.emailVerified,
            name: user.name,
            preferred_username: sub,
            groups: [...user.groups],
          }
        },
      }
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    // Put the scope claims (email, groups) into the id_token itself: that is the token kubectl sends.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { IdToken: opts.idTokenTtlSeconds ?? 3600 },
    async renderError(ctx, out) {
      ctx.type = 'json'
      ctx.body = out
    },
  })
  provider.proxy = false
  const callback = provider.callback()
  handler = (req, res) => void callback(req, res)

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
