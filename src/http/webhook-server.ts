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
  closeGracefully,
  createTlsServer,
  InFlight,
  listen,
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
  let shuttingDown = false
  let listening = false
  const reviewHandler = createReviewHandler({
    reviewer: opts.reviewer,
    logger: opts.logger,
    securityHeaders,
    ...(opts.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: opts.bodyLimitBytes }),
    isShuttingDown: () => shuttingDown,
  })
  const app = createWebhookApp(reviewHandler, securityHeaders)
  const inFlight = new InFlight()
  const hooks: RequestHooks =
    opts.onRequest === undefined ? {} : { onRequest: opts.onRequest.bind(opts) }
  const server = createTlsServer(
    opts.tls,
    inFlight.track(createRequestListener(reviewHandler, app), requestReporter(hooks)),
  )
  server.on('tlsClientError', (err) => {
    opts.logger.debug({ err: { name: err.name, message: err.message } }, 'TLS handshake failed')
  })
  return {
    server,
    securityHeaders,
    get listening() {
      return listening
    },
    get shuttingDown() {
      return shuttingDown
    },
    async listen(port, host) {
      const bound = await listen(server, port, host)
      listening = true
      return bound
    },
    async close(graceMs) {
      shuttingDown = true
      await closeGracefully(server, inFlight, graceMs)
      listening = false
    },
  }
}
