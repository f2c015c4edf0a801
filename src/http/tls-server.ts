/**
 * The secure port: node:https with the TLS policy of tls-policy.ts, optional mandatory
 * client certificates, keep-alive longer than the Go client's 90 s idle
 * timeout, slowloris bounds, and a graceful close for SIGTERM.
 */
import https from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '../log/logger.js'
import { TLS_POLICY } from './tls-policy.js'

export interface TlsMaterial {
  /** PEM serving certificate (with chain). */
  readonly cert: string
  /** PEM private key. */
  readonly key: string
  /** PEM CA bundle: when set, callers must present a certificate it signed. */
  readonly clientCa?: string
}

/**
 * Go's transport keeps idle connections 90 s; a server that closes sooner
 * races the client's reuse and a POST is not replayed.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000
/** Whole request headers must arrive within this (slowloris). */
export const HEADERS_TIMEOUT_MS = 10_000
/** Whole request, body included, within this (kube-apiserver's client gives up at 30 s). */
export const REQUEST_TIMEOUT_MS = 30_000
/**
 * How often node checks the two timeouts above. Its default (30 s) lets a
 * slowloris connection live up to 30 s past `headersTimeout`.
 */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000

/** The material and the TLS policy: what every secure context of the port is built from. */
function secureContextOptions(tls: TlsMaterial): https.ServerOptions {
  // An empty `ca` would make node trust its default roots for client certificates.
  if (tls.clientCa !== undefined && !tls.clientCa.includes('-----BEGIN CERTIFICATE-----'))
    throw new TypeError('the client CA bundle holds no certificate')
  const material =
    tls.clientCa === undefined
      ? { cert: tls.cert, key: tls.key }
      : {
          cert: tls.cert,
          key: tls.key,
          ca: tls.clientCa,
          requestCert: true,
          rejectUnauthorized: true,
        }
  return { ...material, ...TLS_POLICY }
}

/** An https server; requests go to `listener`. Not yet listening. */
export function createTlsServer(
  tls: TlsMaterial,
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  /** `0` lets a request (a long upload through the proxy) take as long as it needs. */
  requestTimeoutMs = REQUEST_TIMEOUT_MS,
): https.Server {
  const server = https.createServer(
    {
      ...secureContextOptions(tls),
      // HTTP/1.1 only: a client offering h2 is answered with http/1.1 by ALPN.
      ALPNProtocols: ['http/1.1'],
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
    },
    listener,
  )
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  return server
}

/** Replaces the certificate (and client CA) for new handshakes: the seam for certificate reload. */
export function reloadTlsMaterial(server: https.Server, tls: TlsMaterial): void {
  server.setSecureContext(secureContextOptions(tls))
}

/** Starts listening; resolves with the bound port (useful with port 0). */
export function listen(
  server: https.Server | import('node:http').Server,
  port: number,
  host: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/**
 * Tracks requests in flight so shutdown can wait for them.
 * Wrap the request listener with `track`.
 */
export class InFlight {
  private count = 0
  private waiters: (() => void)[] = []

  get size(): number {
    return this.count
  }

  /**
   * Counts each request until its response closes. A response emits `close`
   * once, after `finish` or when its connection drops first, so one listener
   * covers both; `onDone` (if given) runs in the same listener, which keeps
   * the per-request cost of metrics to one call.
   */
  track<A extends unknown[]>(
    listener: (req: IncomingMessage, res: ServerResponse, ...rest: A) => void,
    onDone?: (req: IncomingMessage, res: ServerResponse) => void,
  ): (req: IncomingMessage, res: ServerResponse, ...rest: A) => void {
    return (req, res, ...rest) => {
      this.count++
      let done = false
      res.on('close', () => {
        if (done) return
        done = true
        this.count--
        if (this.count === 0 && this.waiters.length > 0) for (const w of this.waiters.splice(0)) w()
        if (onDone !== undefined) {
          try {
            onDone(req, res)
          } catch {
            // A metrics hook must not take the port down.
          }
        }
      })
      listener(req, res, ...rest)
    }
  }

  /** Resolves when nothing is in flight. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }
}

/** A secure port's server as its owner drives it: start, state, graceful close. */
export interface SecureServer {
  readonly server: https.Server
  /** Resolves with the bound port. */
  listen(port: number, host: string): Promise<number>
  readonly listening: boolean
  readonly shuttingDown: boolean
  /** Stops accepting, waits up to `graceMs` for work in flight, then closes. */
  close(graceMs: number): Promise<void>
}

/**
 * Stops accepting, lets the work in flight finish for up to `graceMs`, then
 * drops whatever connections remain (and runs `dropRest` for anything else
 * still open, such as upgraded tunnels). Resolves once the server is closed.
 */
export async function closeGracefully(
  server: https.Server | import('node:http').Server,
  inFlight: { idle(): Promise<unknown> },
  graceMs: number,
  dropRest?: () => void,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    inFlight.idle(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs)
    }),
  ])
  clearTimeout(timer)
  server.closeAllConnections()
  dropRest?.()
  await closed
}

/**
 * The lifecycle every secure port shares around its `server`: failed TLS
 * handshakes logged at debug, `listen`, and a graceful `close` that waits for
 * `work` to go idle (then runs `dropRest`). Request handlers read
 * `shuttingDown` from the returned object.
 */
export function secureServerLifecycle(
  server: https.Server,
  logger: Logger,
  work: { idle(): Promise<unknown> },
  dropRest?: () => void,
): SecureServer {
  let shuttingDown = false
  let listening = false
  server.on('tlsClientError', (err) => {
    logger.debug({ err: { name: err.name, message: err.message } }, 'TLS handshake failed')
  })
  return {
    server,
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
      await closeGracefully(server, work, graceMs, dropRest)
      listening = false
    },
  }
}
