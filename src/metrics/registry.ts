import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { FastHistogram } from './fast-histogram.js'
import type { Clock } from '../runtime/clock.js'
import { systemClock } from '../runtime/clock.js'
import { REJECT_REASONS, type AuthOutcome, type RejectReason } from '../token/types.js'
import {
  HTTP_PATHS,
  NO_ISSUER,
  httpCodeLabel,
  sha256Label,
  type HttpPathLabel,
  type Sha256Label,
} from './labels.js'

export {
  HTTP_PATHS,
  NO_ISSUER,
  httpCodeLabel,
  httpPathLabel,
  sha256Label,
  type HttpPathLabel,
  type Sha256Label,
} from './labels.js'

/** kube-apiserver's buckets for the JWT authenticator latency (`oidc/metrics.go`), reused for our own latency. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]

export type SuccessOrFailure = 'success' | 'failure'
/** The TLS files a reload concerns, by kube-apiserver's names for their providers. */
export const TLS_FILE_ROLES = ['serving-cert', 'client-ca-bundle'] as const
export type TlsFileRoleLabel = (typeof TLS_FILE_ROLES)[number]
export type ReviewResultLabel = 'authenticated' | 'rejected' | 'not_mine' | 'error'
export type CacheResultLabel = 'hit' | 'miss'

/** What {@link WebhookMetrics.observeCache} reads at scrape time (a ResultCache fits). */
export interface CacheSizeSource {
  stats(): { positiveEntries: number; negativeEntries: number }
}

/** Options of {@link WebhookMetrics}. */
export interface WebhookMetricsOptions {
  /** A per-process identity (the pod hostname); only its SHA-256 appears, as `apiserver_id_hash`. */
  apiserverId: string
  /** Register prom-client's Node process metrics on the same registry. Default true. */
  defaultMetrics?: boolean
  /** Source of the timestamps recorded by the `*_timestamp_seconds` gauges. Default the system clock. */
  clock?: Clock
}

const REASONS: ReadonlySet<string> = new Set(REJECT_REASONS)
const CACHE_LABELS: Record<CacheResultLabel, () => Record<string, string>> = {
  hit: () => ({ cache: 'hit' }),
  miss: () => ({ cache: 'miss' }),
}
const PATHS: ReadonlySet<string> = new Set(HTTP_PATHS)
/**
 * Status codes tallied by number; codes are a small set in practice, but odd
 * values (outside 100-599, non-integers) must not grow the map without bound:
 * past it, responses are counted straight into prom-client.
 */
const MAX_HTTP_CODES = 256

/**
 * Every series the webhook exports, on a registry of its own (never prom-client's
 * global one, which Kubernetes' global registry shows is painful in tests:
 * `oidc/metrics.go` `ResetMetrics`).
 *
 * Where kube-apiserver has a metric for the same thing, the name, labels and
 * buckets are its own so dashboards translate; the rest live under
 * `kube_oidc_webhook_`. Recording methods take label values only as
 * {@link Sha256Label} or closed-set unions, so a token cannot become a label.
 */
export class WebhookMetrics {
  readonly registry = new Registry()
  readonly apiserverIdHash: Sha256Label
  readonly #clock: Clock
  readonly #keySetHashes = new Map<Sha256Label, Sha256Label>()
  #configHash: Sha256Label | undefined
  #cacheSource: CacheSizeSource | undefined

  readonly #authLatency: FastHistogram
  readonly #jwksFetchTimestamp: Gauge<'result' | 'jwt_issuer_hash' | 'apiserver_id_hash'>
  readonly #jwksKeySetInfo: Gauge<'jwt_issuer_hash' | 'apiserver_id_hash' | 'hash'>
  readonly #reloads: Counter<'status' | 'apiserver_id_hash'>
  readonly #reloadTimestamp: Gauge<'status' | 'apiserver_id_hash'>
  readonly #lastConfigInfo: Gauge<'apiserver_id_hash' | 'hash'>
  readonly #reviews: Counter<'jwt_issuer_hash' | 'result'>
  /**
   * Per-review hot path: counts accumulate in plain maps and reach prom-client
   * (which hashes the label set on every call) only when the registry is scraped.
   */
  readonly #reviewTally = new Map<Sha256Label, Map<ReviewResultLabel, { n: number }>>()
  readonly #verificationTally = new Map<Sha256Label, number>()
  readonly #issuerLabels = new Map<string, Sha256Label>()
  readonly #reviewDuration: FastHistogram
  readonly #cacheTally: Record<CacheResultLabel, number> = { hit: 0, miss: 0 }
  /** By status code, then path: looked up by the values as they are, no key string per request. */
  readonly #httpTally = new Map<number, Map<HttpPathLabel, { n: number }>>()
  readonly #rejections: Counter<'jwt_issuer_hash' | 'reason'>
  readonly #jwksFailures: Counter<'jwt_issuer_hash'>
  readonly #discoveryFetches: Counter<'jwt_issuer_hash' | 'result'>
  readonly #issuerReady: Gauge<'jwt_issuer_hash'>
  readonly #cacheRequests: Counter<'result'>
  readonly #cacheEntries: Gauge<'kind'>
  readonly #verifications: Counter<'jwt_issuer_hash'>
  readonly #httpRequests: Counter<'code' | 'path'>
  readonly #configInfo: Gauge<'hash'>
  readonly #revocationReloads: Counter<'status'>
  readonly #tlsReloadFailures: Counter<'file'>
  readonly #revocationListInfo: Gauge<'hash'>
  readonly #revocationEntries: Gauge
  #revocationHash: Sha256Label | undefined

  constructor(options: WebhookMetricsOptions) {
    this.apiserverIdHash = sha256Label(options.apiserverId)
    this.#clock = options.clock ?? systemClock
    const registers = [this.registry]
    const own = 'kube_oidc_webhook_'

    this.#authLatency = new FastHistogram(
      'apiserver_authentication_jwt_authenticator_latency_seconds',
      'Latency of jwt authentication operations in seconds, for cache misses of tokens whose issuer matched.',
      LATENCY_BUCKETS,
      this.registry,
    )
    this.#jwksFetchTimestamp = new Gauge({
      name: 'apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds',
      help: 'Timestamp of the last successful or failed JWKS fetch, by result, server identity and jwt issuer.',
      labelNames: ['result', 'jwt_issuer_hash', 'apiserver_id_hash'],
      registers,
    })
    this.#jwksKeySetInfo = new Gauge({
      name: 'apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info',
      help: 'Information about the last JWKS fetched, with its hash as label, by server identity and jwt issuer.',
      labelNames: ['jwt_issuer_hash', 'apiserver_id_hash', 'hash'],
      registers,
    })
    this.#reloads = new Counter({
      name: 'apiserver_authentication_config_controller_automatic_reloads_total',
      help: 'Total number of automatic reloads of the authentication configuration, by status and server identity.',
      labelNames: ['status', 'apiserver_id_hash'],
      registers,
    })
    this.#reloadTimestamp = new Gauge({
      name: 'apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds',
      help: 'Timestamp of the last automatic reload of the authentication configuration, by status and server identity.',
      labelNames: ['status', 'apiserver_id_hash'],
      registers,
    })
    this.#lastConfigInfo = new Gauge({
      name: 'apiserver_authentication_config_controller_last_config_info',
      help: 'Information about the authentication configuration in force, with its hash as label, by server identity.',
      labelNames: ['apiserver_id_hash', 'hash'],
      registers,
    })
    this.#reviews = new Counter({
      name: `${own}reviews_total`,
      help: 'TokenReviews answered, by configured issuer and result (authenticated, rejected, not_mine, error).',
      labelNames: ['jwt_issuer_hash', 'result'],
      registers,
      collect: () => {
        for (const [issuer, byResult] of this.#reviewTally)
          for (const [result, tally] of byResult) {
            if (tally.n > 0) this.#reviews.inc({ jwt_issuer_hash: issuer, result }, tally.n)
            tally.n = 0
          }
      },
    })
    this.#reviewDuration = new FastHistogram(
      `${own}review_duration_seconds`,
      'Time to answer a TokenReview, cache included, by whether the answer came from the cache.',
      LATENCY_BUCKETS,
      this.registry,
    )
    this.#rejections = new Counter({
      name: `${own}rejections_total`,
      help: 'Rejected tokens, by configured issuer and reason.',
      labelNames: ['jwt_issuer_hash', 'reason'],
      registers,
    })
    this.#jwksFailures = new Counter({
      name: `${own}jwks_fetch_failures_total`,
      help: 'Failed JWKS fetches, by configured issuer.',
      labelNames: ['jwt_issuer_hash'],
      registers,
    })
    this.#discoveryFetches = new Counter({
      name: `${own}discovery_fetch_total`,
      help: 'OpenID discovery fetches, by configured issuer and result.',
      labelNames: ['jwt_issuer_hash', 'result'],
      registers,
    })
    this.#issuerReady = new Gauge({
      name: `${own}issuer_ready`,
      help: '1 when the issuer can verify tokens (discovery done, keys available), else 0.',
      labelNames: ['jwt_issuer_hash'],
      registers,
    })
    this.#cacheRequests = new Counter({
      name: `${own}cache_requests_total`,
      help: 'Result cache lookups, by result (hit, miss).',
      labelNames: ['result'],
      registers,
      collect: () => {
        for (const result of ['hit', 'miss'] as const) {
          const n = this.#cacheTally[result]
          if (n > 0) this.#cacheRequests.inc({ result }, n)
          this.#cacheTally[result] = 0
        }
      },
    })
    this.#cacheEntries = new Gauge({
      name: `${own}cache_entries`,
      help: 'Entries in the result cache, by kind (positive, negative).',
      labelNames: ['kind'],
      registers,
      collect: () => {
        const stats = this.#cacheSource?.stats()
        if (stats === undefined) return
        this.#cacheEntries.set({ kind: 'positive' }, stats.positiveEntries)
        this.#cacheEntries.set({ kind: 'negative' }, stats.negativeEntries)
      },
    })
    this.#verifications = new Counter({
      name: `${own}verifications_total`,
      help: 'Token signature verifications performed, by configured issuer.',
      labelNames: ['jwt_issuer_hash'],
      registers,
      collect: () => {
        for (const [issuer, n] of this.#verificationTally) {
          if (n > 0) this.#verifications.inc({ jwt_issuer_hash: issuer }, n)
          this.#verificationTally.set(issuer, 0)
        }
      },
    })
    this.#httpRequests = new Counter({
      name: `${own}http_requests_total`,
      help: 'HTTP requests answered, by status code and path.',
      labelNames: ['code', 'path'],
      registers,
      collect: () => {
        for (const [code, byPath] of this.#httpTally)
          for (const [path, tally] of byPath) {
            if (tally.n > 0) this.#httpRequests.inc({ code: httpCodeLabel(code), path }, tally.n)
            tally.n = 0
          }
      },
    })
    this.#configInfo = new Gauge({
      name: `${own}config_info`,
      help: 'Information about the authentication configuration in force, with its hash as label.',
      labelNames: ['hash'],
      registers,
    })

    this.#revocationReloads = new Counter({
      name: `${own}revocation_reloads_total`,
      help: 'Automatic reloads of the revocation list, by status (success, failure).',
      labelNames: ['status'],
      registers,
    })
    this.#revocationListInfo = new Gauge({
      name: `${own}revocation_list_info`,
      help: 'Information about the revocation list in force, with the hash of its file as label.',
      labelNames: ['hash'],
      registers,
    })
    this.#revocationEntries = new Gauge({
      name: `${own}revocation_entries`,
      help: 'Entries in the revocation list in force, expired ones included.',
      registers,
    })
    this.#tlsReloadFailures = new Counter({
      name: `${own}tls_reload_failures_total`,
      help: 'Changed TLS files refused (empty, no certificate, key not matching); the material in force stayed. By file role (serving-cert, client-ca-bundle).',
      labelNames: ['file'],
      registers,
    })
    for (const file of TLS_FILE_ROLES) this.#tlsReloadFailures.inc({ file }, 0)

    for (const result of ['hit', 'miss'] as const) this.#cacheRequests.inc({ result }, 0)
    for (const kind of ['positive', 'negative'] as const) this.#cacheEntries.set({ kind }, 0)
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry })
  }

  /** The Prometheus text exposition of every series. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  /** The `Content-Type` of {@link render}'s output. */
  get contentType(): string {
    return this.registry.contentType
  }

  /** kube-apiserver's authenticator latency: cache misses of tokens whose `iss` matched `issuer` only. */
  observeAuthenticatorLatency(
    issuer: Sha256Label,
    result: SuccessOrFailure,
    seconds: number,
  ): void {
    this.#authLatency.observe(
      `${issuer} ${result}`,
      () => ({ result, jwt_issuer_hash: issuer }),
      seconds,
    )
  }

  /**
   * One JWKS fetch attempt: stamps its time by result; on success records the
   * key set's hash (replacing the previous one for the issuer), on failure
   * counts it. Mirrors `recordJWKSFetchKeySetSuccess`/`Failure` in `oidc/metrics.go`.
   *
   * @param keySetHash `sha256Label(body)` of the fetched JWKS, on success.
   */
  recordJwksFetch(issuer: Sha256Label, result: SuccessOrFailure, keySetHash?: Sha256Label): void {
    const ids = { jwt_issuer_hash: issuer, apiserver_id_hash: this.apiserverIdHash }
    this.#jwksFetchTimestamp.set({ ...ids, result }, this.#nowSeconds())
    if (result === 'failure') {
      this.#jwksFailures.inc({ jwt_issuer_hash: issuer })
      return
    }
    if (keySetHash === undefined) return
    const previous = this.#keySetHashes.get(issuer)
    if (previous !== undefined && previous !== keySetHash)
      this.#jwksKeySetInfo.remove({ ...ids, hash: previous })
    this.#keySetHashes.set(issuer, keySetHash)
    this.#jwksKeySetInfo.set({ ...ids, hash: keySetHash }, 1)
  }

  /** One discovery fetch attempt. */
  recordDiscoveryFetch(issuer: Sha256Label, result: SuccessOrFailure): void {
    this.#discoveryFetches.inc({ jwt_issuer_hash: issuer, result })
  }

  setIssuerReady(issuer: Sha256Label, ready: boolean): void {
    this.#issuerReady.set({ jwt_issuer_hash: issuer }, ready ? 1 : 0)
  }

  /** A signature verification actually performed (not answered from the cache). */
  recordVerification(issuer: Sha256Label): void {
    this.#verificationTally.set(issuer, (this.#verificationTally.get(issuer) ?? 0) + 1)
  }

  /**
   * Removes the state series of an issuer no longer configured (readiness,
   * JWKS timestamps and key-set info), as `DeleteJWKSFetchMetrics` does
   * upstream. Counters and histograms keep their totals.
   */
  forgetIssuer(issuer: Sha256Label): void {
    const ids = { jwt_issuer_hash: issuer, apiserver_id_hash: this.apiserverIdHash }
    this.#jwksFetchTimestamp.remove({ ...ids, result: 'success' })
    this.#jwksFetchTimestamp.remove({ ...ids, result: 'failure' })
    const keySet = this.#keySetHashes.get(issuer)
    if (keySet !== undefined) this.#jwksKeySetInfo.remove({ ...ids, hash: keySet })
    this.#keySetHashes.delete(issuer)
    this.#issuerReady.remove({ jwt_issuer_hash: issuer })
  }

  /**
   * An automatic reload attempt. On success, `configHash` (`sha256Label` of the
   * file's bytes) becomes the config in force.
   */
  recordConfigReload(status: SuccessOrFailure, configHash?: Sha256Label): void {
    const labels = { status, apiserver_id_hash: this.apiserverIdHash }
    this.#reloads.inc(labels)
    this.#reloadTimestamp.set(labels, this.#nowSeconds())
    if (status === 'success' && configHash !== undefined) this.setConfigInfo(configHash)
  }

  /** The config in force (at startup and after each successful reload): both info gauges. */
  setConfigInfo(configHash: Sha256Label): void {
    if (this.#configHash !== undefined && this.#configHash !== configHash) {
      this.#lastConfigInfo.remove({
        apiserver_id_hash: this.apiserverIdHash,
        hash: this.#configHash,
      })
      this.#configInfo.remove({ hash: this.#configHash })
    }
    this.#configHash = configHash
    this.#lastConfigInfo.set({ apiserver_id_hash: this.apiserverIdHash, hash: configHash }, 1)
    this.#configInfo.set({ hash: configHash }, 1)
  }

  /** Changed TLS files that were refused, by the role of the files. */
  recordTlsReloadFailure(file: TlsFileRoleLabel): void {
    this.#tlsReloadFailures.inc({ file })
  }

  /** An automatic reload of the revocation list; on success, the list now in force. */
  recordRevocationReload(
    status: SuccessOrFailure,
    list?: { hash: Sha256Label; entries: number },
  ): void {
    this.#revocationReloads.inc({ status })
    if (status === 'success' && list !== undefined) this.setRevocationList(list.hash, list.entries)
  }

  /** The revocation list in force (at startup and after each successful reload). */
  setRevocationList(hash: Sha256Label, entries: number): void {
    if (this.#revocationHash !== undefined && this.#revocationHash !== hash)
      this.#revocationListInfo.remove({ hash: this.#revocationHash })
    this.#revocationHash = hash
    this.#revocationListInfo.set({ hash }, 1)
    this.#revocationEntries.set(entries)
    for (const status of ['success', 'failure'] as const) this.#revocationReloads.inc({ status }, 0)
  }

  /** Counts one review by result; use {@link recordOutcome} when an outcome is at hand. */
  recordReview(issuer: Sha256Label, result: ReviewResultLabel): void {
    // Looked up by the label and the result as they are: a key joined from both
    // would be a new string to hash on every review.
    let byResult = this.#reviewTally.get(issuer)
    if (byResult === undefined) this.#reviewTally.set(issuer, (byResult = new Map()))
    const tally = byResult.get(result)
    if (tally === undefined) byResult.set(result, { n: 1 })
    else tally.n++
  }

  /** Counts one rejection; a reason outside the closed set is not recorded. */
  recordRejection(issuer: Sha256Label, reason: RejectReason): void {
    if (!REASONS.has(reason)) return
    this.#rejections.inc({ jwt_issuer_hash: issuer, reason })
  }

  /**
   * Counts a review from its outcome: `reviews_total` by result and, for a
   * rejection, `rejections_total` by reason. `outcome.issuer` is the configured
   * issuer URL; it is hashed, never used as is.
   */
  recordOutcome(outcome: AuthOutcome): void {
    switch (outcome.kind) {
      case 'not-mine':
        this.recordReview(NO_ISSUER, 'not_mine')
        return
      case 'authenticated':
        this.recordReview(this.#issuerLabel(outcome.issuer), 'authenticated')
        return
      case 'rejected': {
        const issuer = this.#issuerLabel(outcome.issuer)
        this.recordReview(issuer, 'rejected')
        this.recordRejection(issuer, outcome.rejection.reason)
        return
      }
    }
  }

  /** Time of one whole review, cache included. */
  observeReviewDuration(cache: CacheResultLabel, seconds: number): void {
    this.#reviewDuration.observe(cache, CACHE_LABELS[cache], seconds)
  }

  recordCacheRequest(result: CacheResultLabel): void {
    this.#cacheTally[result]++
  }

  /** Reads the cache's sizes at each scrape into `cache_entries`. */
  observeCache(source: CacheSizeSource): void {
    this.#cacheSource = source
  }

  /** One HTTP response; map the path with `httpPathLabel`. */
  recordHttpRequest(code: number, path: HttpPathLabel): void {
    const known: HttpPathLabel = PATHS.has(path) ? path : 'other'
    let byPath = this.#httpTally.get(code)
    if (byPath === undefined) {
      if (this.#httpTally.size >= MAX_HTTP_CODES) {
        this.#httpRequests.inc({ code: httpCodeLabel(code), path: known })
        return
      }
      this.#httpTally.set(code, (byPath = new Map()))
    }
    const tally = byPath.get(known)
    if (tally === undefined) byPath.set(known, { n: 1 })
    else tally.n++
  }

  /** `sha256Label` of a configured issuer URL, memoised (issuer URLs come from config: at most 64 per config). */
  #issuerLabel(url: string): Sha256Label {
    let label = this.#issuerLabels.get(url)
    if (label === undefined) {
      if (this.#issuerLabels.size >= 1024) this.#issuerLabels.clear()
      label = sha256Label(url)
      this.#issuerLabels.set(url, label)
    }
    return label
  }

  #nowSeconds(): number {
    return this.#clock.now().getTime() / 1000
  }
}
