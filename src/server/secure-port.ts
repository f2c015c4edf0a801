/**
 * What listens on the secure port of a running service. `serve` puts the
 * TokenReview webhook there; `proxy` puts the impersonating reverse proxy
 * there. Everything around it (config load and reload, result cache, review
 * metrics and log, health port, TLS reload, shutdown) is the same assembly.
 */
import type { SecurityHeaders } from '../http/security-headers.js'
import type { SecureServer, TlsMaterial } from '../http/tls-server.js'
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

export type SecurePortServer = SecureServer

export interface SecurePort {
  create(parts: SecurePortParts): SecurePortServer
  /** Readiness checks besides config, serving and shutdown, as `[name, passing]`. */
  readonly readiness?: () => ReadonlyArray<readonly [string, boolean]>
  /** The startup log line. */
  readonly startedMessage: string
  /** Released after the secure port has closed. */
  close?(): void
}
