/**
 * Hot reload of the AuthenticationConfiguration, as kube-apiserver's
 * authentication config controller does it (pkg/kubeapiserver/options/
 * authentication.go): content that was applied or refused before
 * is ignored; a file that does not decode or validate is refused (old config
 * stays, one failure counted, not retried until the bytes change); a valid one
 * is built aside and swapped in whole only once every issuer in it has
 * completed discovery, else it is retried later. Unchanged issuers keep their
 * warm keys; cached reviews of changed, added or removed issuers are dropped.
 */
import { createHash } from 'node:crypto'
import type { ResultCache } from '../cache/result-cache.js'
import type { CompiledConfig } from '../config/compiled.js'
import type { CompileOptions } from '../config/compile.js'
import { parseAuthenticationConfigBytes } from '../config/load.js'
import type { IssuerStatus } from '../issuer/issuer-status.js'
import type { Logger } from '../log/logger.js'
import type { Sha256Label } from '../metrics/labels.js'
import type { WebhookMetrics } from '../metrics/registry.js'
import { systemMonotonicClock, type CancelTimer, type MonotonicClock } from '../runtime/clock.js'
import { watchFile, type FileWatcher } from '../runtime/watch-file.js'
import type { ConfigAuthenticator } from '../token/authenticator.js'
import { configWarnings } from '../warnings/config-warnings.js'
import { logConfigWarnings } from '../warnings/log-warnings.js'

export interface ActiveConfig {
  readonly config: CompiledConfig
  readonly authenticator: ConfigAuthenticator
}

export interface ConfigReloaderOptions {
  readonly path: string
  /** The config in force at start and the bytes it came from. */
  readonly initial: ActiveConfig & { readonly bytes: Buffer }
  /** Builds the authenticator of a new config, handing over warm issuers from `previous`. */
  readonly build: (config: CompiledConfig, previous: ConfigAuthenticator) => ConfigAuthenticator
  readonly cache: ResultCache
  readonly logger: Logger
  /** Validation inputs besides the file (the --service-account-issuer values). */
  readonly compileOptions?: CompileOptions
  readonly metrics?: WebhookMetrics
  /** Re-read period (default 1000 ms; filesystem notifications act sooner). */
  readonly pollIntervalMs?: number
  /** How long a new config's issuers may take to finish discovery (default 60 s, as upstream). */
  readonly readyTimeoutMs?: number
  /** Wait before retrying a valid config whose issuers were not ready (default 10 s). */
  readonly retryIntervalMs?: number
  /** How long the replaced authenticator lives on for reviews in flight (default 10 s). */
  readonly retireAfterMs?: number
  /** The ready timeout, retries and retirement run on it (default the system's). */
  readonly monotonic?: MonotonicClock
}

/** How often a new config's issuers are looked at while it waits for them. */
const READY_POLL_MS = 50

/** Discovery succeeded: kube-apiserver's per-authenticator health check. */
export function isDiscovered(status: IssuerStatus): boolean {
  return status.conditions.some((c) => c.type === 'DiscoveryValid' && c.status === 'True')
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Issuer URLs whose entry differs between two configs (changed, added or removed). */
export function changedIssuers(before: CompiledConfig, after: CompiledConfig): string[] {
  const old = new Map(before.jwt.map((e) => [e.issuer.url, e.fingerprint]))
  const next = new Map(after.jwt.map((e) => [e.issuer.url, e.fingerprint]))
  const urls = new Set([...old.keys(), ...next.keys()])
  return [...urls].filter((url) => old.get(url) !== next.get(url))
}

export class ConfigReloader {
  #active: ActiveConfig
  #appliedDigest: string
  #refusedDigest: string | undefined
  /** Valid content waiting for its issuers (or for a retry). */
  #pendingDigest: string | undefined
  /** Bumped by every new content; an attempt from an older generation is abandoned. */
  #generation = 0
  #cancelRetry: CancelTimer | undefined
  #watcher: FileWatcher | undefined
  #closed = false
  readonly #retiring = new Map<CancelTimer, ConfigAuthenticator>()
  readonly #opts: ConfigReloaderOptions
  readonly #clock: MonotonicClock

  constructor(opts: ConfigReloaderOptions) {
    this.#opts = opts
    this.#clock = opts.monotonic ?? systemMonotonicClock
    this.#active = { config: opts.initial.config, authenticator: opts.initial.authenticator }
    this.#appliedDigest = digest(opts.initial.bytes)
  }

  /** The config and authenticator in force. */
  get active(): ActiveConfig {
    return this.#active
  }

  /** Starts watching; resolves once the watcher has its baseline. */
  async start(): Promise<void> {
    this.#watcher = watchFile(this.#opts.path, (bytes) => this.apply(bytes), {
      pollIntervalMs: this.#opts.pollIntervalMs ?? 1000,
      initial: [this.#opts.initial.bytes],
      onError: (err) =>
        this.#opts.logger.warn(
          { path: this.#opts.path, err: (err as Error).message },
          'reading the authentication config failed',
        ),
    })
    await this.#watcher.baselineRead
  }

  /** Considers new file content (called by the watcher; public for tests). */
  async apply(bytes: Buffer): Promise<void> {
    if (this.#closed) return
    const hash = digest(bytes)
    if (hash === this.#pendingDigest) return
    // Newer content supersedes an attempt still waiting for its issuers or
    // scheduled for retry, even when it is the content already in force (a
    // revert): otherwise a stale file could be swapped in once its issuers answer.
    const generation = ++this.#generation
    this.#pendingDigest = undefined
    this.#cancelRetry?.()
    if (hash === this.#appliedDigest || hash === this.#refusedDigest) return
    // The same decoding, validation and hash as at start, `validate` and `check`.
    const parsed = parseAuthenticationConfigBytes(bytes, this.#opts.compileOptions)
    if (!parsed.ok) {
      this.#refusedDigest = hash
      this.#opts.metrics?.recordConfigReload('failure')
      this.#opts.logger.error(
        { path: this.#opts.path, errors: parsed.errors },
        'refused the new authentication config; the previous one stays in force',
      )
      return
    }
    this.#pendingDigest = hash
    await this.#tryApply(parsed.config, hash, generation)
  }

  async #tryApply(config: CompiledConfig, hash: string, generation: number): Promise<void> {
    const { logger, metrics } = this.#opts
    const next = this.#opts.build(config, this.#active.authenticator)
    const ready = await this.#waitReady(next, generation)
    if (this.#closed || generation !== this.#generation) {
      await next.close()
      return
    }
    if (!ready) {
      await next.close()
      metrics?.recordConfigReload('failure')
      const retryMs = this.#opts.retryIntervalMs ?? 10_000
      logger.warn(
        {
          path: this.#opts.path,
          notReady: next
            .issuers()
            .filter((s) => !isDiscovered(s))
            .map((s) => s.url),
          retryMs,
        },
        'new authentication config not applied: issuers not initialized; will retry',
      )
      this.#cancelRetry = this.#clock.startTimer(retryMs, () => {
        if (generation === this.#generation) void this.#tryApply(config, hash, generation)
      })
      return
    }
    const previous = this.#active
    this.#active = { config, authenticator: next }
    this.#appliedDigest = hash
    this.#pendingDigest = undefined
    this.#refusedDigest = undefined
    for (const url of changedIssuers(previous.config, config)) this.#opts.cache.dropIssuer(url)
    const kept = new Set(config.jwt.map((e) => e.issuerHash))
    for (const entry of previous.config.jwt)
      if (!kept.has(entry.issuerHash)) metrics?.forgetIssuer(entry.issuerHash as Sha256Label)
    metrics?.recordConfigReload('success', config.hash as Sha256Label)
    logger.info(
      { path: this.#opts.path, configHash: config.hash, issuers: config.jwt.length },
      'reloaded authentication config',
    )
    logConfigWarnings(logger, configWarnings(config))
    const cancelRetirement = this.#clock.startTimer(this.#opts.retireAfterMs ?? 10_000, () => {
      this.#retiring.delete(cancelRetirement)
      void previous.authenticator.close()
    })
    this.#retiring.set(cancelRetirement, previous.authenticator)
  }

  async #waitReady(auth: ConfigAuthenticator, generation: number): Promise<boolean> {
    const deadline = this.#clock.nowMs() + (this.#opts.readyTimeoutMs ?? 60_000)
    for (;;) {
      if (this.#closed || generation !== this.#generation) return false
      if (auth.issuers().every(isDiscovered)) return true
      if (this.#clock.nowMs() >= deadline) return false
      await new Promise<void>((resolve) => this.#clock.startTimer(READY_POLL_MS, resolve))
    }
  }

  /** Stops watching and retrying; closes replaced authenticators still retiring. */
  async close(): Promise<void> {
    this.#closed = true
    this.#cancelRetry?.()
    this.#watcher?.close()
    const retiring = [...this.#retiring]
    this.#retiring.clear()
    for (const [cancelRetirement] of retiring) cancelRetirement()
    await Promise.all(retiring.map(([, auth]) => auth.close()))
  }
}
