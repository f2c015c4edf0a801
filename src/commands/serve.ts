/**
 * `serve`: load the config and the TLS material, build the authenticator,
 * open the secure port and the health port, and on SIGTERM/SIGINT shut down
 * cleanly (not ready, stop accepting, let reviews in flight finish within
 * --shutdown-grace, exit 0). Any bad flag, file or config: every error on
 * stderr, exit 1.
 *
 * Reviews go through the result cache to the authenticator in force; the
 * config file and the TLS files are watched and reloaded (src/service/).
 */
import type http from 'node:http'
import { hostname } from 'node:os'
import { ResultCache } from '../cache/result-cache.js'
import { httpPathLabel } from '../metrics/labels.js'
import { WebhookMetrics } from '../metrics/registry.js'
import { ConfigReloader } from '../server/config-reloader.js'
import { metricsObserver } from '../server/metrics-observer.js'
import { createReviewer } from '../server/reviewer.js'
import { loadRevocationList, revocationErrorLines } from '../revocation/load.js'
import { RevocationReloader } from '../revocation/revocation-reloader.js'
import { revocationSummary } from '../revocation/summary.js'
import { RevocationList } from '../revocation/revocation-list.js'
import { tuneHeapForService } from '../runtime/heap-tuning.js'
import {
  readInitialTlsMaterial,
  watchTlsMaterial,
  type TlsWatcher,
} from '../server/tls-reloader.js'
import type { CompileOptions } from '../config/compile.js'
import { configErrorLines, loadAuthenticationConfig } from '../config/load.js'
import { keyCacheDirError } from '../issuer/key-cache.js'
import type { CompiledConfig } from '../config/compiled.js'
import { createHealthServer } from '../http/health.js'
import { captureSecurityHeaders } from '../http/security-headers.js'
import { listen, type TlsMaterial } from '../http/tls-server.js'
import { createWebhookServer } from '../http/webhook-server.js'
import { createLogger, type Logger, type LogLevel } from '../log/logger.js'
import type { ConfigAuthenticator } from '../token/authenticator.js'
import type { Sha256Label } from '../metrics/labels.js'
import type { FlagValues } from '../flags/flags.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
import { buildAuthenticator } from '../server/build-authenticator.js'
import { configWarnings } from '../warnings/config-warnings.js'
import { logConfigWarnings } from '../warnings/log-warnings.js'
import type { SecurePort, SecurePortServer } from '../server/secure-port.js'

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
  readonly revocationFile?: string
  readonly shutdownGraceMs: number
  /** --service-account-issuer: issuer URLs no jwt entry may use. */
  readonly serviceAccountIssuers?: readonly string[]
  /** How often watched files are re-read besides filesystem notifications (default 1000 ms). */
  readonly reloadPollMs?: number
  /** Not a flag: wait before retrying a valid new config whose issuers were not ready (default 10 s, as upstream). */
  readonly reloadRetryMs?: number
  /** Not a flag: how long a new config's issuers may take to finish discovery (default 60 s, as upstream). */
  readonly reloadReadyTimeoutMs?: number
  /** Not a flag: what listens on the secure port (default the TokenReview webhook). */
  readonly securePortServer?: SecurePort
}

export function serveOptionsFromFlags(flags: FlagValues): ServeOptions {
  const clientCaFile = flags.string('client-ca-file')
  const keyCacheDir = flags.string('key-cache-dir')
  const revocationFile = flags.string('revocation-file')
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
    ...(revocationFile === undefined ? {} : { revocationFile }),
    shutdownGraceMs: flags.durationMs('shutdown-grace') as number,
    serviceAccountIssuers: flags.strings('service-account-issuer'),
  }
}

function compileOptions(opts: ServeOptions): CompileOptions {
  return { disallowedIssuers: opts.serviceAccountIssuers ?? [] }
}

/** Everything a running server needs, read and checked up front; all problems collected. */
async function prepare(opts: ServeOptions): Promise<
  | {
      ok: true
      config: CompiledConfig
      configBytes: Buffer
      tls: TlsMaterial
      revocation: InitialRevocationList | undefined
    }
  | { ok: false; errors: string[] }
> {
  const errors: string[] = []
  const [loaded, tls, revocation, keyCache] = await Promise.all([
    loadAuthenticationConfig(opts.authenticationConfig, compileOptions(opts)),
    readInitialTlsMaterial({
      certFile: opts.tlsCertFile,
      keyFile: opts.tlsPrivateKeyFile,
      ...(opts.clientCaFile === undefined ? {} : { clientCaFile: opts.clientCaFile }),
    }),
    opts.revocationFile === undefined ? undefined : loadRevocationList(opts.revocationFile),
    opts.keyCacheDir === undefined ? undefined : keyCacheDirError(opts.keyCacheDir),
  ])
  if (!tls.ok) errors.push(...tls.errors)
  if (keyCache !== undefined) errors.push(keyCache)
  if (revocation?.ok === false) errors.push(...revocationErrorLines(revocation.errors))
  if (!loaded.ok) errors.unshift(...configErrorLines(opts.authenticationConfig, loaded))
  if (!loaded.ok || !tls.ok || errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    config: loaded.config,
    configBytes: loaded.bytes,
    tls: tls.material,
    revocation: revocation?.ok === true ? revocation : undefined,
  }
}

/** The revocation list `serve` starts with and the bytes it came from. */
export interface InitialRevocationList {
  readonly list: RevocationList
  readonly bytes: Buffer
}

async function initialRevocationList(
  opts: ServeOptions,
  given: InitialRevocationList | undefined,
): Promise<InitialRevocationList | undefined> {
  if (given !== undefined || opts.revocationFile === undefined) return given
  const loaded = await loadRevocationList(opts.revocationFile)
  if (!loaded.ok) throw new Error(revocationErrorLines(loaded.errors).join('\n'))
  return loaded
}

/** A running `serve`. */
export interface ServeHandle {
  readonly securePort: number
  readonly healthPort: number | undefined
  readonly webhook: SecurePortServer
  readonly metrics: WebhookMetrics
  /** Not ready, stop accepting, finish in flight within the grace, close everything. */
  shutdown(): Promise<void>
}

/** `serve`'s secure port: the TokenReview webhook. */
const WEBHOOK_SECURE_PORT: SecurePort = {
  create: ({ reviewer, logger, tls, securityHeaders, metrics }) =>
    createWebhookServer({
      reviewer,
      logger,
      tls,
      securityHeaders,
      onRequest: (code, route) =>
        metrics.recordHttpRequest(code, route === '/authenticate' ? route : 'other'),
    }),
  startedMessage: 'serving TokenReviews on /authenticate',
}

/**
 * Starts serving; throws on a listen failure (port in use), or on a bad
 * `--revocation-file` when `revocation` (what `prepare` read) is not given.
 */
export async function startServe(
  opts: ServeOptions,
  config: CompiledConfig,
  configBytes: Buffer,
  tls: TlsMaterial,
  logger: Logger,
  revocation?: InitialRevocationList,
): Promise<ServeHandle> {
  const initialRevocation = await initialRevocationList(opts, revocation)
  logConfigWarnings(logger, configWarnings(config))
  const metrics = new WebhookMetrics({ apiserverId: hostname() })
  const authenticatorOptions = {
    logger,
    metrics,
    observer: metricsObserver(metrics),
    ...(opts.keyCacheDir === undefined ? {} : { keyCacheDir: opts.keyCacheDir }),
  }
  const authenticator: ConfigAuthenticator = buildAuthenticator(config, authenticatorOptions)
  const cache = new ResultCache({ ttlMs: opts.cacheTtlMs, maxEntries: opts.cacheMaxEntries })
  metrics.observeCache(cache)
  // Expired entries would otherwise hold their slots until evicted: memory then
  // tracks the live entries (review rate x TTL), not --cache-max-entries.
  const pruning = setInterval(() => cache.prune(), Math.max(1000, opts.cacheTtlMs / 4))
  pruning.unref()
  metrics.setConfigInfo(config.hash as Sha256Label)
  const reloader = new ConfigReloader({
    path: opts.authenticationConfig,
    compileOptions: compileOptions(opts),
    initial: { config, authenticator, bytes: configBytes },
    build: (next, previous) => buildAuthenticator(next, authenticatorOptions, previous),
    cache,
    logger,
    metrics,
    ...(opts.reloadPollMs === undefined ? {} : { pollIntervalMs: opts.reloadPollMs }),
    ...(opts.reloadRetryMs === undefined ? {} : { retryIntervalMs: opts.reloadRetryMs }),
    ...(opts.reloadReadyTimeoutMs === undefined
      ? {}
      : { readyTimeoutMs: opts.reloadReadyTimeoutMs }),
  })
  const revocations =
    opts.revocationFile === undefined || initialRevocation === undefined
      ? undefined
      : new RevocationReloader({
          path: opts.revocationFile,
          initial: initialRevocation,
          logger,
          metrics,
          ...(opts.reloadPollMs === undefined ? {} : { pollIntervalMs: opts.reloadPollMs }),
          configuredIssuers: () => reloader.active.config.jwt.map((e) => e.issuer.url),
        })
  if (initialRevocation !== undefined) {
    logConfigWarnings(
      logger,
      revocationSummary(
        initialRevocation.list,
        config.jwt.map((e) => e.issuer.url),
        Date.now(),
      ).warnings,
    )
    metrics.setRevocationList(
      initialRevocation.list.hash as Sha256Label,
      initialRevocation.list.entries.length,
    )
  }
  const reviewer = createReviewer({
    current: () => reloader.active.authenticator,
    cache,
    logger,
    metrics,
    ...(revocations === undefined ? {} : { revocations: () => revocations.current }),
  })
  const securityHeaders = captureSecurityHeaders()
  const front = opts.securePortServer ?? WEBHOOK_SECURE_PORT
  const webhook = front.create({ reviewer, logger, tls, securityHeaders, metrics })
  let health: http.Server | undefined
  let healthPort: number | undefined
  let securePort: number
  let tlsWatcher: TlsWatcher | undefined
  try {
    if (opts.healthPort !== 0) {
      health = createHealthServer({
        securityHeaders,
        metrics: { contentType: metrics.contentType, metrics: () => metrics.render() },
        onRequest: (code: number, path: string) =>
          metrics.recordHttpRequest(code, httpPathLabel(path)),
        state: {
          configLoaded: () => true,
          serving: () => webhook.listening,
          shuttingDown: () => webhook.shuttingDown,
          ...(front.readiness === undefined ? {} : { checks: front.readiness }),
          issuers: () => reloader.active.authenticator.issuers(),
        },
      })
      healthPort = await listen(health, opts.healthPort, opts.bindAddress)
    }
    securePort = await webhook.listen(opts.securePort, opts.bindAddress)
    await reloader.start()
    await revocations?.start()
    tlsWatcher = watchTlsMaterial({
      server: webhook.server,
      certFile: opts.tlsCertFile,
      keyFile: opts.tlsPrivateKeyFile,
      ...(opts.clientCaFile === undefined ? {} : { clientCaFile: opts.clientCaFile }),
      initial: tls,
      logger,
      ...(opts.reloadPollMs === undefined ? {} : { pollIntervalMs: opts.reloadPollMs }),
      onReload: (role, ok) => {
        if (!ok) metrics.recordTlsReloadFailure(role)
      },
    })
  } catch (err) {
    clearInterval(pruning)
    await reloader.close()
    revocations?.close()
    if (health?.listening === true) await new Promise((r) => health?.close(r))
    if (webhook.listening) await webhook.close(0)
    await authenticator.close()
    front.close?.()
    throw err
  }
  logger.info(
    {
      address: opts.bindAddress,
      securePort,
      healthPort: healthPort ?? 0,
      issuers: config.jwt.length,
      configHash: config.hash,
      ...(initialRevocation === undefined
        ? {}
        : { revocationEntries: initialRevocation.list.entries.length }),
    },
    front.startedMessage,
  )
  let closing: Promise<void> | undefined
  return {
    securePort,
    healthPort,
    webhook,
    metrics,
    shutdown() {
      closing ??= (async () => {
        logger.info({ graceMs: opts.shutdownGraceMs }, 'shutting down')
        tlsWatcher?.close()
        clearInterval(pruning)
        await reloader.close()
        revocations?.close()
        await webhook.close(opts.shutdownGraceMs)
        if (health !== undefined) {
          const h = health
          await new Promise<void>((resolve) => {
            h.close(() => resolve())
            h.closeAllConnections()
          })
        }
        await reloader.active.authenticator.close()
        front.close?.()
        logger.info('stopped')
      })()
      return closing
    },
  }
}

export async function runServe(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  return runService(serveOptionsFromFlags(flags), io)
}

/** A secure-port server with files of its own, read and checked with serve's. */
export interface SecurePortSetup {
  prepare(): Promise<
    { ok: true; start: (logger: Logger) => SecurePort } | { ok: false; errors: string[] }
  >
}

/** Runs serve's assembly until SIGTERM/SIGINT, with `setup`'s server on the secure port when given. */
export async function runService(
  opts: ServeOptions,
  io: CliIO,
  setup?: SecurePortSetup,
): Promise<ExitCode> {
  tuneHeapForService()
  // Signals are caught from the very start: a SIGTERM that arrives while the
  // server is still starting shuts it down cleanly once it is up (exit 0).
  let received: NodeJS.Signals | undefined
  let onStop: (() => void) | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received !== undefined) return
    received = signal
    onStop?.()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    const [prepared, own] = await Promise.all([prepare(opts), setup?.prepare()])
    if (!prepared.ok || own?.ok === false) {
      const errors = [
        ...(prepared.ok ? [] : prepared.errors),
        ...(own?.ok === false ? own.errors : []),
      ]
      for (const line of errors) io.stderr.write(`${line}\n`)
      return 1
    }
    const logger = createLogger({ level: opts.logLevel })
    const withPort: ServeOptions =
      own === undefined ? opts : { ...opts, securePortServer: own.start(logger) }
    let handle: ServeHandle
    try {
      handle = await startServe(
        withPort,
        prepared.config,
        prepared.configBytes,
        prepared.tls,
        logger,
        prepared.revocation,
      )
    } catch (err) {
      io.stderr.write(`Error: ${(err as Error).message}\n`)
      return 1
    }
    await new Promise<void>((resolve) => {
      onStop = () => {
        logger.info({ signal: received }, 'signal received')
        handle.shutdown().then(resolve, resolve)
      }
      if (received !== undefined) onStop()
    })
    logger.flush()
    return 0
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}
