/**
 * A real webhook over real TLS on loopback, with a table-driven authenticator
 * standing in for the token pipeline (tested on its own elsewhere).
 */
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '../../../src/log/logger.js'
import { createWebhookServer, type WebhookServer } from '../../../src/http/webhook-server.js'
import { ResultCache } from '../../../src/cache/result-cache.js'
import { createReviewer } from '../../../src/server/reviewer.js'
import {
  createCertificateAuthority,
  createClientCertificate,
  createServerCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../../src/dev/certificates.js'
import {
  TokenRejected,
  type AuthOutcome,
  type TokenAuthenticator,
} from '../../../src/token/types.js'

export const EXPIRED_MESSAGE =
  'oidc: verify token: oidc: token is expired (Token Expiry: 2024-01-01T00:00:00Z)'

/** Tokens the fake authenticator knows; anything else is "not mine". */
export const fakeAuthenticator: TokenAuthenticator = {
  async authenticate(token: string): Promise<AuthOutcome> {
    switch (token) {
      case 'jane-token':
        return {
          kind: 'authenticated',
          issuer: 'https://issuer.example',
          user: { username: 'oidc:jane', uid: '', groups: [], extra: {} },
        }
      case 'full-token':
        return {
          kind: 'authenticated',
          issuer: 'https://issuer.example',
          user: {
            username: 'oidc:bob',
            uid: 'u-123',
            groups: ['oidc:dev', 'oidc:qa'],
            extra: { 'example.org/tenant': ['acme'], 'example.org/empty': [] },
          },
        }
      case 'expired-token':
        return {
          kind: 'rejected',
          issuer: 'https://issuer.example',
          rejection: new TokenRejected('expired', 'verify', EXPIRED_MESSAGE),
        }
      case 'throwing-token':
        throw new Error('boom')
      default:
        return { kind: 'not-mine' }
    }
  },
}

export interface Webhook {
  readonly url: string
  readonly base: string
  readonly ca: CertificateAuthority
  readonly webhook: WebhookServer
  readonly logs: string[]
  /** Codes of handshakes the server refused (its 'tlsClientError' events). */
  readonly tlsErrors: string[]
  close(): Promise<void>
}

let sharedCa: Promise<{ ca: CertificateAuthority; serving: IssuedCertificate }> | undefined

/** One CA and serving certificate per test file (key generation is the slow part). */
export function testCa(): Promise<{ ca: CertificateAuthority; serving: IssuedCertificate }> {
  sharedCa ??= (async () => {
    const ca = await createCertificateAuthority({ commonName: 'test webhook CA' })
    return { ca, serving: await createServerCertificate(ca) }
  })()
  return sharedCa
}

export async function clientCertificate(ca: CertificateAuthority): Promise<IssuedCertificate> {
  return createClientCertificate(ca)
}

export function captureLogger(lines: string[]): Logger {
  return createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'))
        cb()
      },
    }) as unknown as import('pino').DestinationStream,
  })
}

export async function startWebhook(
  opts: {
    clientCa?: string
    authenticator?: TokenAuthenticator
    bodyLimitBytes?: number
    onRequest?: (code: number, route: string) => void
  } = {},
): Promise<Webhook> {
  const { ca, serving } = await testCa()
  const logs: string[] = []
  const logger = captureLogger(logs)
  // As in `serve`: reviews pass through the reviewer (cache off here), which logs each one.
  const target = opts.authenticator ?? fakeAuthenticator
  const webhook = createWebhookServer({
    reviewer: createReviewer({
      current: () => target,
      cache: new ResultCache({ ttlMs: 0 }),
      logger,
    }),
    logger,
    tls: {
      cert: serving.certPem,
      key: serving.keyPem,
      ...(opts.clientCa === undefined ? {} : { clientCa: opts.clientCa }),
    },
    ...(opts.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: opts.bodyLimitBytes }),
    ...(opts.onRequest === undefined ? {} : { onRequest: opts.onRequest }),
  })
  const tlsErrors: string[] = []
  webhook.server.on('tlsClientError', (err: Error & { code?: string }) =>
    tlsErrors.push(err.code ?? err.message),
  )
  const port = await webhook.listen(0, '127.0.0.1')
  const base = `https://localhost:${port}`
  return {
    url: `${base}/authenticate`,
    base,
    ca,
    webhook,
    logs,
    tlsErrors,
    close: () => webhook.close(1000),
  }
}
