/**
 * The proxy's secure port: TLS as `serve`'s, every request admitted (token
 * through the shared review path, impersonation headers) and forwarded to the
 * API server, upgrades spliced. No request timeout: uploads, watches and exec
 * sessions last as long as they need; only the request head must arrive in time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../log/logger.js'
import {
  createTlsServer,
  InFlight,
  secureServerLifecycle,
  type SecureServer,
  type TlsMaterial,
} from '../http/tls-server.js'
import type { TokenReviewer } from '../http/token-reviewer.js'
import { admitRequest } from './admit-request.js'
import { forwardRequest } from './forward-request.js'
import { forwardUpgrade, Tunnels } from './forward-upgrade.js'
import { PROXY_ERRORS, sendProxyError, sendProxyErrorOnSocket } from './proxy-errors.js'
import type { Upstream } from './upstream.js'

export interface ProxyServerOptions {
  readonly reviewer: TokenReviewer
  readonly upstream: Upstream
  readonly logger: Logger
  readonly tls: TlsMaterial
  /** Called once per answered request with its status (the proxy's own or the API server's). */
  readonly onRequest?: (statusCode: number) => void
}

/** Its `close` also cuts upgraded tunnels still open after `graceMs`. */
export type ProxyServer = SecureServer

export function createProxyServer(opts: ProxyServerOptions): ProxyServer {
  const { reviewer, upstream, logger } = opts
  const inFlight = new InFlight()
  const tunnels = new Tunnels()
  const admitOptions = {
    reviewer,
    logger,
    upstreamAuthorization: () => upstream.authorization(),
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (opts.onRequest !== undefined) {
      const report = opts.onRequest
      res.once('finish', () => report(res.statusCode))
    }
    if (lifecycle.shuttingDown) {
      res.setHeader('Connection', 'close')
      sendProxyError(res, 'ERR_SHUTTING_DOWN')
      return
    }
    admitRequest(req, admitOptions).then(
      (admission) => {
        if (!admission.ok) {
          req.resume()
          sendProxyError(res, admission.error)
          return
        }
        forwardRequest(req, res, admission.headers, upstream, logger)
      },
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'proxy request failed')
        sendProxyError(res, 'ERR_UPSTREAM_FAILED')
      },
    )
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    const report = (statusCode: number): void => opts.onRequest?.(statusCode)
    if (lifecycle.shuttingDown) {
      report(PROXY_ERRORS.ERR_SHUTTING_DOWN.statusCode)
      sendProxyErrorOnSocket(socket, 'ERR_SHUTTING_DOWN')
      return
    }
    admitRequest(req, admitOptions).then(
      (admission) => {
        if (!admission.ok) {
          report(PROXY_ERRORS[admission.error].statusCode)
          sendProxyErrorOnSocket(socket, admission.error)
          return
        }
        report(101)
        forwardUpgrade(req, socket, head, admission.headers, upstream, tunnels, logger)
      },
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'proxy upgrade failed')
        sendProxyErrorOnSocket(socket, 'ERR_UPSTREAM_FAILED')
      },
    )
  }

  const server = createTlsServer(opts.tls, inFlight.track(onRequest), 0)
  server.on('upgrade', onUpgrade)
  const lifecycle = secureServerLifecycle(
    server,
    logger,
    { idle: () => Promise.all([inFlight.idle(), tunnels.idle()]) },
    () => tunnels.destroyAll(),
  )
  return lifecycle
}
