/**
 * `proxy`: serve's assembly (config load and reload, result cache, review
 * metrics and log, health port, TLS reload, shutdown) with the impersonating
 * reverse proxy on the secure port instead of the TokenReview webhook. Every
 * bad flag or file: every error on stderr, exit 1.
 */
import { readFile } from 'node:fs/promises'
import type { FlagValues } from '../flags/flags.js'
import type { Logger } from '../log/logger.js'
import { createProxyServer } from '../proxy/proxy-server.js'
import { tokenFromFile, Upstream } from '../proxy/upstream.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
import type { SecurePort } from '../server/secure-port.js'
import { runService, serveOptionsFromFlags, type SecurePortSetup } from './serve.js'

export interface ProxyUpstreamOptions {
  /** `--upstream`, or undefined for the in-cluster API server. */
  readonly upstream?: string
  readonly upstreamCaFile: string
  readonly upstreamTokenFile: string
  /** Not a flag: how often the token file is re-read besides notifications (default 1000 ms). */
  readonly pollIntervalMs?: number
  /** Not a flag: how often the API server's reachability is probed (default 5000 ms). */
  readonly probeIntervalMs?: number
}

export function proxyUpstreamOptionsFromFlags(flags: FlagValues): ProxyUpstreamOptions {
  const upstream = flags.string('upstream')
  return {
    ...(upstream === undefined ? {} : { upstream }),
    upstreamCaFile: flags.string('upstream-ca-file') as string,
    upstreamTokenFile: flags.string('upstream-token-file') as string,
  }
}

/**
 * The API server's URL: `--upstream`, else client-go's in-cluster rule
 * (`rest.InClusterConfig`: https, KUBERNETES_SERVICE_HOST and _PORT, an IPv6
 * host in brackets).
 */
export function upstreamUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): { url: URL } | { error: string } {
  if (flag === undefined) {
    const host = env.KUBERNETES_SERVICE_HOST ?? ''
    const port = env.KUBERNETES_SERVICE_PORT ?? ''
    if (host === '' || port === '')
      return {
        error:
          '--upstream: not set, and not running in a cluster (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined)',
      }
    return { url: new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`) }
  }
  let url: URL
  try {
    url = new URL(flag)
  } catch {
    return { error: `--upstream: ${JSON.stringify(flag)} is not a URL` }
  }
  if (url.protocol !== 'https:')
    return { error: `--upstream: ${JSON.stringify(flag)}: the scheme must be https` }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    return {
      error: `--upstream: ${JSON.stringify(flag)}: must not carry credentials, a query or a fragment`,
    }
  return { url }
}

async function readText(flag: string, path: string, errors: string[]): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    errors.push(`--${flag}: ${(err as Error).message}`)
    return undefined
  }
}

/** Reads the upstream's files; returns the proxy's secure port or every problem found. */
export async function prepareProxy(
  opts: ProxyUpstreamOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: true; start: (logger: Logger) => SecurePort } | { ok: false; errors: string[] }> {
  const errors: string[] = []
  const where = upstreamUrl(opts.upstream, env)
  if ('error' in where) errors.push(where.error)
  const [caPem, tokenText] = await Promise.all([
    readText('upstream-ca-file', opts.upstreamCaFile, errors),
    readText('upstream-token-file', opts.upstreamTokenFile, errors),
  ])
  if (caPem !== undefined && !caPem.includes('-----BEGIN '))
    errors.push(`--upstream-ca-file: ${opts.upstreamCaFile}: no PEM data found`)
  const token = tokenText === undefined ? undefined : tokenFromFile(tokenText)
  if (token === '')
    errors.push(`--upstream-token-file: ${opts.upstreamTokenFile}: the file is empty`)
  if (errors.length > 0 || !('url' in where) || caPem === undefined || token === undefined)
    return { ok: false, errors }
  return {
    ok: true,
    start: (logger) => proxySecurePort({ ...opts, url: where.url, caPem, token }, logger),
  }
}

/** The proxy as serve's secure port. */
export function proxySecurePort(
  opts: ProxyUpstreamOptions & { url: URL; caPem: string; token: string },
  logger: Logger,
): SecurePort {
  const upstream = new Upstream({
    url: opts.url,
    caPem: opts.caPem,
    tokenFile: opts.upstreamTokenFile,
    initialToken: opts.token,
    logger,
    ...(opts.pollIntervalMs === undefined ? {} : { pollIntervalMs: opts.pollIntervalMs }),
    ...(opts.probeIntervalMs === undefined ? {} : { probeIntervalMs: opts.probeIntervalMs }),
  })
  void upstream.probe()
  return {
    create: ({ reviewer, logger: log, tls, metrics }) =>
      createProxyServer({
        reviewer,
        upstream,
        logger: log,
        tls,
        onRequest: (code) => metrics.recordHttpRequest(code, 'other'),
      }),
    readiness: () => [['upstream', upstream.isReachable]],
    startedMessage: `proxying to ${opts.url.origin} with impersonation`,
    close: () => upstream.close(),
  }
}

export async function runProxy(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  const upstreamOpts = proxyUpstreamOptionsFromFlags(flags)
  const setup: SecurePortSetup = { prepare: () => prepareProxy(upstreamOpts) }
  return runService(serveOptionsFromFlags(flags), io, setup)
}
