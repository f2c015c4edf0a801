/**
 * `serve`: load the config and the TLS material, build the authenticator,
 * open the secure port and the health port, and on SIGTERM/SIGINT shut down
 * cleanly (not ready, stop accepting, let reviews in flight finish within
 * --shutdown-grace, exit 0). Any bad flag, file or config: every error on
 * stderr, exit 1.
 *
 * Seams for the lead: config/certificate reload (src/reload/watch-file.ts),
 * the result cache and metrics attach in `startServe` where marked.
 */
import { readFile } from 'node:fs/promises'
import type http from 'node:http'
import { loadAuthenticationConfig } from '../config/load.js'
import type { CompiledConfig } from '../config/compiled.js'
import { createHealthServer, type MetricsSource } from '../http/health.js'
import { captureSecurityHeaders } from '../http/security-headers.js'
import { listen, type TlsMaterial } from '../http/tls-server.js'
import { createWebhookServer, type WebhookServer } from '../http/webhook-server.js'
import { createLogger, type Logger, type LogLevel } from '../log/logger.js'
import type { ConfigAuthenticator } from '../token/authenticator.js'
import type { AuthOutcome, TokenAuthenticator } from '../token/types.js'
import type { FlagValues } from '../cli/flags.js'
import type { CliIO, ExitCode } from '../cli/io.js'
import { buildAuthenticator } from './build-authenticator.js'

export interface ServeOptions {
  readonly authenticationConfig: string
  readonly bindAddress: string
  readonly securePort: number
  readonly tlsCertFile: string
  readonly tlsPrivateKeyFile: string
  readonly clientCaFile?: string
  readonly healthPort: number
  readonly logLevel: LogLevel
  readonly cacheTtlMs: number
  readonly cacheMaxEntries: number
  readonly keyCacheDir?: string
  readonly shutdownGraceMs: number
}

export function serveOptionsFromFlags(flags: FlagValues): ServeOptions {
  const clientCaFile = flags.string('client-ca-file')
  const keyCacheDir = flags.string('key-cache-dir')
  return {
    authenticationConfig: flags.string('authentication-config') as string,
    bindAddress: flags.string('bind-address') as string,
    securePort: flags.number('secure-port') as number,
    tlsCertFile: flags.string('tls-cert-file') as string,
    tlsPrivateKeyFile: flags.string('tls-private-key-file') as string,
    ...(clientCaFile === undefined ? {} : { clientCaFile }),
    healthPort: flags.number('health-port') as number,
    logLevel: flags.string('log-level') as LogLevel,
    cacheTtlMs: flags.durationMs('cache-ttl') as number,
    cacheMaxEntries: flags.number('cache-max-entries') as number,
    ...(keyCacheDir === undefined ? {} : { keyCacheDir }),
    shutdownGraceMs: flags.durationMs('shutdown-grace') as number,
  }
}

async function readPem(flag: string, path: string, errors: string[]): Promise<string | undefined> {
  try {
    const text = await readFile(path, 'utf8')
    if (!text.includes('-----BEGIN ')) {
      errors.push(`--${flag}: ${path}: no PEM data found`)
      return undefined
    }
    return text
  } catch (err) {
    errors.push(`--${flag}: ${(err as Error).message}`)
    return undefined
  }
}

/** Everything a running server needs, read and checked up front; all problems collected. */
async function prepare(
  opts: ServeOptions,
): Promise<
  { ok: true; config: CompiledConfig; tls: TlsMaterial } | { ok: false; errors: string[] }
> {
  const errors: string[] = []
  const [loaded, cert, key, clientCa] = await Promise.all([
    loadAuthenticationConfig(opts.authenticationConfig),
    readPem('tls-cert-file', opts.tlsCertFile, errors),
    readPem('tls-private-key-file', opts.tlsPrivateKeyFile, errors),
    opts.clientCaFile === undefined
      ? undefined
      : readPem('client-ca-file', opts.clientCaFile, errors),
  ])
  if (!loaded.ok) errors.unshift(...loaded.errors)
  if (!loaded.ok || cert === undefined || key === undefined || errors.length > 0)
    return { ok: false, errors }
  return {
    ok: true,
    config: loaded.config,
    tls: { cert, key, ...(clientCa === undefined ? {} : { clientCa }) },
  }
}

/** A running `serve`. */
export interface ServeHandle {
  readonly securePort: number
  readonly healthPort: number | undefined
  readonly webhook: WebhookServer
  /** Not ready, stop accepting, finish in flight within the grace, close everything. */
  shutdown(): Promise<void>
}

/** Starts serving; throws on a listen failure (port in use). */
export async function startServe(
  opts: ServeOptions,
  config: CompiledConfig,
  tls: TlsMaterial,
  logger: Logger,
  metrics?: MetricsSource,
): Promise<ServeHandle> {
  const authenticator: ConfigAuthenticator = await buildAuthenticator(config, {
    logger,
    ...(opts.keyCacheDir === undefined ? {} : { keyCacheDir: opts.keyCacheDir }),
  })
  // Reviews always go through this indirection, so a reload can swap
  // `authenticator` (and a result cache can wrap it) without touching the server.
  const current: TokenAuthenticator = {
    authenticate: (token: string): Promise<AuthOutcome> => authenticator.authenticate(token),
  }
  const securityHeaders = captureSecurityHeaders()
  const webhook = createWebhookServer({ authenticator: current, logger, tls, securityHeaders })
  let health: http.Server | undefined
  let healthPort: number | undefined
  let securePort: number
  try {
    if (opts.healthPort !== 0) {
      health = createHealthServer({
        securityHeaders,
        ...(metrics === undefined ? {} : { metrics }),
        state: {
          configLoaded: () => true,
          serving: () => webhook.listening,
          shuttingDown: () => webhook.shuttingDown,
          issuers: () => authenticator.issuers(),
        },
      })
      healthPort = await listen(health, opts.healthPort, opts.bindAddress)
    }
    securePort = await webhook.listen(opts.securePort, opts.bindAddress)
  } catch (err) {
    if (health?.listening === true) await new Promise((r) => health?.close(r))
    await authenticator.close()
    throw err
  }
  logger.info(
    {
      address: opts.bindAddress,
      securePort,
      healthPort: healthPort ?? 0,
      issuers: config.jwt.length,
      configHash: config.hash,
    },
    'serving TokenReviews on /authenticate',
  )
  let closing: Promise<void> | undefined
  return {
    securePort,
    healthPort,
    webhook,
    shutdown() {
      closing ??= (async () => {
        logger.info({ graceMs: opts.shutdownGraceMs }, 'shutting down')
        await webhook.close(opts.shutdownGraceMs)
        if (health !== undefined) {
          const h = health
          await new Promise<void>((resolve) => {
            h.close(() => resolve())
            h.closeAllConnections()
          })
        }
        await authenticator.close()
        logger.info('stopped')
      })()
      return closing
    },
  }
}

export async function runServe(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  const opts = serveOptionsFromFlags(flags)
  const prepared = await prepare(opts)
  if (!prepared.ok) {
    for (const line of prepared.errors) io.stderr.write(`${line}\n`)
    return 1
  }
  const logger = createLogger({ level: opts.logLevel })
  let handle: ServeHandle
  try {
    handle = await startServe(opts, prepared.config, prepared.tls, logger)
  } catch (err) {
    io.stderr.write(`Error: ${(err as Error).message}\n`)
    return 1
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'signal received')
      process.off('SIGTERM', onSignal)
      process.off('SIGINT', onSignal)
      handle.shutdown().then(resolve, resolve)
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  })
  logger.flush()
  return 0
}
