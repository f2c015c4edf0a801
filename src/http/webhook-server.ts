/**
 * The secure port assembled: lean review handler, express app for the rest,
 * security headers, in-flight tracking and the TLS server.
 */
import type { Logger } from '../log/logger.js'
import type { TokenReviewer } from './token-reviewer.js'
import {
  createRequestListener,
  createWebhookApp,
  requestReporter,
  type RequestHooks,
} from './app.js'
import { createReviewHandler } from './review-handler.js'
import { captureSecurityHeaders, type SecurityHeaders } from './security-headers.js'
import {
  createTlsServer,
  InFlight,
  secureServerLifecycle,
  type SecureServer,
  type TlsMaterial,
} from './tls-server.js'

export interface WebhookServerOptions extends RequestHooks {
  readonly reviewer: TokenReviewer
  readonly logger: Logger
  readonly tls: TlsMaterial
  readonly bodyLimitBytes?: number
  /** Computed once per process when absent. */
  readonly securityHeaders?: SecurityHeaders
}

export interface WebhookServer extends SecureServer {
  readonly securityHeaders: SecurityHeaders
}

let processSecurityHeaders: SecurityHeaders | undefined

/** Builds (does not start) the webhook's secure port. */
export function createWebhookServer(opts: WebhookServerOptions): WebhookServer {
  const securityHeaders =
    opts.securityHeaders ?? (processSecurityHeaders ??= captureSecurityHeaders())
  const reviewHandler = createReviewHandler({
    reviewer: opts.reviewer,
    logger: opts.logger,
    securityHeaders,
    ...(opts.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: opts.bodyLimitBytes }),
    isShuttingDown: () => lifecycle.shuttingDown,
  })
  const app = createWebhookApp(reviewHandler, securityHeaders)
  const inFlight = new InFlight()
  const hooks: RequestHooks =
    opts.onRequest === undefined ? {} : { onRequest: opts.onRequest.bind(opts) }
  const server = createTlsServer(
    opts.tls,
    inFlight.track(createRequestListener(reviewHandler, app), requestReporter(hooks)),
  )
  const lifecycle = secureServerLifecycle(server, opts.logger, inFlight)
  // Assigned onto the lifecycle object: a spread would copy its getters' current values.
  return Object.assign(lifecycle, { securityHeaders })
}
