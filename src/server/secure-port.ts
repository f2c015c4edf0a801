/**
 * What listens on the secure port of a running service. `serve` puts the
 * TokenReview webhook there; `proxy` puts the impersonating reverse proxy
 * there. Everything around it (config load and reload, result cache, review
 * metrics and log, health port, TLS reload, shutdown) is the same assembly.
 */
import type https from 'node:https'
import type { SecurityHeaders } from '../http/security-headers.js'
import type { TlsMaterial } from '../http/tls-server.js'
import type { Logger } from '../log/logger.js'
import type { WebhookMetrics } from '../metrics/registry.js'
import type { TokenReviewer } from '../http/token-reviewer.js'

/** What the assembly hands the secure port's server. */
export interface SecurePortParts {
  /** The result cache in front of the authenticator in force: the shared review path. */
  readonly reviewer: TokenReviewer
  readonly logger: Logger
  readonly tls: TlsMaterial
  readonly securityHeaders: SecurityHeaders
  readonly metrics: WebhookMetrics
}

export interface SecurePortServer {
  readonly server: https.Server
  /** Resolves with the bound port. */
  listen(port: number, host: string): Promise<number>
  readonly listening: boolean
  readonly shuttingDown: boolean
  /** Stops accepting, waits up to `graceMs` for requests in flight, then closes. */
  close(graceMs: number): Promise<void>
}

export interface SecurePort {
  create(parts: SecurePortParts): SecurePortServer
  /** Readiness checks besides config, serving and shutdown, as `[name, passing]`. */
  readonly readiness?: () => ReadonlyArray<readonly [string, boolean]>
  /** The startup log line. */
  readonly startedMessage: string
  /** Released after the secure port has closed. */
  close?(): void
}
