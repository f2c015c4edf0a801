/**
 * The plain-HTTP health port: `/healthz`, `/readyz` (`?verbose` lists each
 * issuer in kube-apiserver's text style) and `/metrics`.
 *
 * Readiness means "a config is loaded, the secure port listens and we are not
 * shutting down". Issuers do not count: one IdP outage must not take the
 * webhook (and every other issuer's users) out of the Service. Their state is
 * listed for operators with `?verbose`, in the format kube-apiserver uses
 * for its own `/readyz?verbose`:
 *
 *     [+]config ok
 *     [+]issuer sha256:1f2e… https://issuer.example ok
 *     [-]issuer sha256:9a8b… https://other.example not ready: JWKSFetchFailed: ...
 *     readyz check passed
 */
import http from 'node:http'
import { applySecurityHeaders, type SecurityHeaders } from './security-headers.js'

/** What `/readyz?verbose` needs of an issuer (a subset of IssuerStatus). */
export interface IssuerReadiness {
  readonly url: string
  readonly issuerHash: string
  readonly ready: boolean
  readonly conditions: ReadonlyArray<{
    readonly type: string
    readonly status: string
    readonly reason: string
    readonly message: string
  }>
}

export interface HealthState {
  /** False when no config is loaded yet. */
  configLoaded(): boolean
  /** True once the secure port listens. */
  serving(): boolean
  shuttingDown(): boolean
  issuers(): readonly IssuerReadiness[]
  /** Further checks that count for readiness, as `[name, passing]` (the proxy's upstream). */
  checks?(): ReadonlyArray<readonly [string, boolean]>
}

/** prom-client's Registry has this shape. */
export interface MetricsSource {
  readonly contentType: string
  metrics(): Promise<string>
}

export interface HealthServerOptions {
  readonly state: HealthState
  readonly securityHeaders: SecurityHeaders
  /** When absent `/metrics` answers 404. */
  readonly metrics?: MetricsSource
  /** Called once per finished response with its status and path (query removed). */
  readonly onRequest?: (statusCode: number, path: string) => void
}

function issuerLine(issuer: IssuerReadiness): string {
  const name = `issuer ${issuer.issuerHash} ${issuer.url}`
  if (issuer.ready) return `[+]${name} ok`
  const failing =
    issuer.conditions.find((c) => c.type !== 'Ready' && c.status !== 'True') ??
    issuer.conditions.find((c) => c.type === 'Ready')
  const why = failing === undefined ? 'unknown' : `${failing.reason}: ${failing.message}`
  return `[-]${name} not ready: ${why.replace(/\s+/g, ' ')}`
}

/** Body and status of `/readyz`. */
export function readyz(state: HealthState, verbose: boolean): { statusCode: number; body: string } {
  const checks: (readonly [string, boolean])[] = [
    ['config', state.configLoaded()],
    ['serving', state.serving()],
    ['shutdown', !state.shuttingDown()],
    ...(state.checks?.() ?? []),
  ]
  const ok = checks.every(([, pass]) => pass)
  if (!verbose) return { statusCode: ok ? 200 : 503, body: ok ? 'ok' : 'not ready' }
  const lines = checks.map(([name, pass]) => (pass ? `[+]${name} ok` : `[-]${name} failed`))
  for (const issuer of state.issuers()) lines.push(issuerLine(issuer))
  lines.push(ok ? 'readyz check passed' : 'readyz check failed')
  return { statusCode: ok ? 200 : 503, body: `${lines.join('\n')}\n` }
}

/**
 * Path and query of a request target, or undefined when it does not parse
 * (an absolute-form target with a port past 65535, a bad host).
 */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://health')
  } catch {
    return undefined
  }
}

/** The request listener of the health port; it answers every request and never throws. */
export function createHealthListener(opts: HealthServerOptions): http.RequestListener {
  const send = (
    res: http.ServerResponse,
    statusCode: number,
    body: string,
    type = 'text/plain; charset=utf-8',
  ): void => {
    if (res.headersSent || res.destroyed) return
    applySecurityHeaders(res, opts.securityHeaders)
    res.writeHead(statusCode, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
    res.end(body)
  }
  const route = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = parseTarget(req.url)
    const onRequest = opts.onRequest
    if (onRequest !== undefined) {
      const path = url?.pathname ?? 'other'
      res.once('finish', () => {
        try {
          onRequest(res.statusCode, path)
        } catch {
          // A metrics hook must not take the port down.
        }
      })
    }
    if (url === undefined) {
      send(res, 400, 'bad request: unparsable request target')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      send(res, 405, 'method not allowed')
      return
    }
    switch (url.pathname) {
      case '/healthz':
      case '/livez':
        send(res, 200, 'ok')
        return
      case '/readyz': {
        const { statusCode, body } = readyz(opts.state, url.searchParams.has('verbose'))
        send(res, statusCode, body)
        return
      }
      case '/metrics': {
        const metrics = opts.metrics
        if (metrics === undefined) break
        metrics
          .metrics()
          .then((text) => send(res, 200, text, metrics.contentType))
          .catch(() => send(res, 500, 'metrics unavailable'))
        return
      }
    }
    send(res, 404, 'not found')
  }
  return (req, res) => {
    try {
      route(req, res)
    } catch {
      try {
        send(res, 500, 'internal error')
      } catch {
        res.destroy()
      }
    }
  }
}

/** A plain-HTTP server for the health port. Not yet listening. */
export function createHealthServer(opts: HealthServerOptions): http.Server {
  const server = http.createServer(
    { headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    createHealthListener(opts),
  )
  server.keepAliveTimeout = 65_000
  return server
}
