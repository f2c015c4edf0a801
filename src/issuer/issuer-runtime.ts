/**
 * Everything one configured issuer needs at run time: its HTTP client (with its
 * own CA), the discovery loop (immediately, then every `discoveryRetryMs` until
 * it succeeds, as kube-apiserver's `wait.PollImmediateUntil`), the key set, the
 * optional key cache, and the readiness conditions. Shared by reference count so
 * a hot reload can hand a warm issuer to the new authenticator.
 */
import { redactURL } from '../go/redact-url.js'
import type { Logger } from '../log/logger.js'
import {
  systemMonotonicClock,
  type CancelTimer,
  type Clock,
  type MonotonicClock,
} from '../runtime/clock.js'
import type { CompiledIssuer } from '../config/compiled.js'
import type { IssuerObserver } from './issuer-observer.js'
import { fetchDiscovery, parseDiscovery, type DiscoveryDocument } from './discovery.js'
import { createHttpClient, type HttpClient } from './http-client.js'
import { ConditionSet, type IssuerStatus } from './issuer-status.js'
import { loadCachedKeys, saveCachedKeys } from './key-cache.js'
import { describeSkippedKey } from './jwk-import.js'
import { RemoteKeySet, type KeySet } from './key-set.js'

const MAX_LISTED_SKIPPED_KEYS = 5

export interface IssuerRuntimeOptions {
  readonly clock: Clock
  readonly logger: Logger
  readonly observer?: IssuerObserver | undefined
  readonly fetchTimeoutMs: number
  readonly maxResponseBytes: number
  readonly discoveryRetryMs: number
  readonly keyCacheDir?: string | undefined
  readonly minRefetchIntervalMs?: number | undefined
  /** Key lifetimes, refetch rate limits and the discovery retry (default the system's). */
  readonly monotonic?: MonotonicClock | undefined
  /** The HTTP client for this issuer's discovery, JWKS and distributed claims (default node:https with its CA). */
  readonly createClient?: ((issuer: CompiledIssuer) => HttpClient) | undefined
  /** Keys to verify with instead of discovery (Kubernetes' `oidc.Options.KeySet`): ready at once, never fetches. */
  readonly keySet?: KeySet | undefined
}

/** What makes two issuers interchangeable on reload: where and how they are fetched. */
export function issuerFetchKey(issuer: CompiledIssuer): string {
  return JSON.stringify([issuer.url, issuer.discoveryURL, issuer.certificateAuthority ?? null])
}

export class IssuerRuntime {
  readonly client: HttpClient
  readonly fetchKey: string
  private discovery: DiscoveryDocument | undefined
  private keys: RemoteKeySet | undefined
  private readonly staticKeys: KeySet | undefined
  private readonly conditions: ConditionSet
  private refs = 1
  private closed = false
  private cancelRetry: CancelTimer | undefined
  private readonly abort = new AbortController()
  private lastDiscoveryError: string | undefined = 'oidc: authenticator is not initialized'
  private wasReady = false
  private fromCache = false
  /** Settles after the first discovery attempt and, if it succeeded, the first JWKS fetch. */
  readonly firstAttemptDone: Promise<void>
  private resolveFirstAttempt!: () => void

  constructor(
    readonly issuer: CompiledIssuer,
    readonly issuerHash: string,
    private readonly options: IssuerRuntimeOptions,
  ) {
    this.fetchKey = issuerFetchKey(issuer)
    this.client =
      options.createClient?.(issuer) ??
      createHttpClient({
        ...(issuer.certificateAuthority !== undefined ? { ca: issuer.certificateAuthority } : {}),
        timeoutMs: options.fetchTimeoutMs,
        maxResponseBytes: options.maxResponseBytes,
      })
    this.staticKeys = options.keySet
    this.conditions = new ConditionSet(() => options.clock.now())
    this.firstAttemptDone = new Promise<void>((resolve) => {
      this.resolveFirstAttempt = resolve
    })
    if (this.staticKeys !== undefined) {
      this.lastDiscoveryError = undefined
      this.conditions.set('DiscoveryValid', 'True', 'StaticKeySet', 'keys given, no discovery')
      this.conditions.set('JWKSFetchValid', 'True', 'StaticKeySet', 'keys given, no fetch')
      this.updateReady()
      this.resolveFirstAttempt()
      return
    }
    // With a key cache, cached keys verify from the start, without waiting for a
    // discovery attempt that may hang for the whole fetch timeout during an outage.
    if (options.keyCacheDir !== undefined) void this.loadFromCache().then(() => this.updateReady())
    void this.run(true)
  }

  /** Discovery has succeeded (or a cached document was loaded): tokens may be verified. */
  get discovered(): boolean {
    return this.staticKeys !== undefined || this.keys !== undefined
  }

  get keySet(): KeySet | undefined {
    return this.staticKeys ?? this.keys
  }

  retain(): this {
    this.refs++
    return this
  }

  /** Drops one reference; the last one stops timers and aborts fetches. */
  release(): void {
    if (--this.refs > 0 || this.closed) return
    this.closed = true
    this.cancelRetry?.()
    this.abort.abort()
    this.keys?.close()
    this.client.close()
    this.resolveFirstAttempt()
  }

  status(): IssuerStatus {
    const ready = this.ready
    const lastError = this.lastDiscoveryError ?? this.keys?.lastError
    return {
      url: this.issuer.url,
      issuerHash: this.issuerHash,
      ready,
      conditions: this.conditions.list(),
      ...(this.keys?.lastSuccess !== undefined
        ? { lastSuccessfulKeyFetch: this.keys.lastSuccess.toISOString() }
        : {}),
      ...(lastError !== undefined ? { lastError } : {}),
    }
  }

  get ready(): boolean {
    return this.keySet?.ready === true
  }

  private async run(first: boolean): Promise<void> {
    if (this.closed) return
    let doc: DiscoveryDocument | undefined
    try {
      doc = await fetchDiscovery(
        this.client,
        this.issuer.discoveryURL,
        this.issuer.url,
        this.abort.signal,
      )
    } catch (err) {
      if (this.closed) return
      const message = (err as Error).message
      this.lastDiscoveryError = message
      this.options.observer?.onDiscovery?.(this.issuerHash, false)
      this.options.logger.warn(
        { issuer: this.issuer.url, err: message },
        'OIDC discovery failed; will retry',
      )
      if (!this.discovered)
        this.conditions.set('DiscoveryValid', 'False', 'DiscoveryFailed', message)
      if (first && this.options.keyCacheDir !== undefined) await this.loadFromCache()
      this.updateReady()
      if (first) this.resolveFirstAttempt()
      this.cancelRetry = (this.options.monotonic ?? systemMonotonicClock).startTimer(
        this.options.discoveryRetryMs,
        () => void this.run(false),
      )
      return
    }
    if (this.closed) return
    this.lastDiscoveryError = undefined
    this.fromCache = false
    this.discovery = doc
    this.options.observer?.onDiscovery?.(this.issuerHash, true)
    this.conditions.set('DiscoveryValid', 'True', 'Success', `discovered ${redactURL(doc.jwksURI)}`)
    if (this.keys === undefined || this.keys.jwksURI !== doc.jwksURI) {
      const previous = this.keys
      this.keys = this.newKeySet(doc.jwksURI)
      previous?.close()
    }
    await this.keys.fetch()
    if (first) this.resolveFirstAttempt()
  }

  private newKeySet(jwksURI: string): RemoteKeySet {
    const set: RemoteKeySet = new RemoteKeySet(jwksURI, {
      client: this.client,
      logger: this.options.logger,
      now: () => this.options.clock.now(),
      ...(this.options.monotonic !== undefined ? { monotonic: this.options.monotonic } : {}),
      ...(this.options.minRefetchIntervalMs !== undefined
        ? { minRefetchIntervalMs: this.options.minRefetchIntervalMs }
        : {}),
      onFetch: (ok, hash, error) => {
        this.options.observer?.onJWKSFetch?.(this.issuerHash, ok, hash)
        if (ok) {
          const skipped = set.skippedKeys
          this.conditions.set(
            'JWKSFetchValid',
            'True',
            skipped.length === 0 ? 'Success' : 'KeysSkipped',
            skipped.length === 0
              ? `fetched ${set.keyCount} usable keys`
              : `fetched ${set.keyCount} usable keys; skipped ${skipped.length}: ${skipped
                  .slice(0, MAX_LISTED_SKIPPED_KEYS)
                  .map(describeSkippedKey)
                  .join('; ')}${skipped.length > MAX_LISTED_SKIPPED_KEYS ? '; ...' : ''}`,
          )
          void this.saveToCache()
        } else {
          this.conditions.set(
            'JWKSFetchValid',
            'False',
            'FetchFailed',
            set.ready
              ? `${error ?? 'fetch failed'} (keeping last good keys)`
              : (error ?? 'fetch failed'),
          )
        }
        this.updateReady()
      },
    })
    return set
  }

  private updateReady(): void {
    const ready = this.ready
    if (ready) {
      this.conditions.set(
        'Ready',
        'True',
        this.fromCache ? 'FromKeyCache' : 'Success',
        this.fromCache ? 'verifying with cached discovery and keys' : 'ready to verify tokens',
      )
    } else {
      this.conditions.set(
        'Ready',
        'False',
        this.discovered ? 'NoKeys' : 'NotInitialized',
        this.lastDiscoveryError ?? this.keys?.lastError ?? 'no key set yet',
      )
    }
    if (ready !== this.wasReady) {
      this.wasReady = ready
      this.options.observer?.onIssuerReady?.(this.issuerHash, ready)
    }
  }

  private async loadFromCache(): Promise<void> {
    const dir = this.options.keyCacheDir
    if (dir === undefined || this.discovered) return
    let cached
    try {
      cached = await loadCachedKeys(dir, this.issuerHash)
    } catch (err) {
      this.options.logger.warn(
        { issuer: this.issuer.url, err: (err as Error).message },
        'refused to read the key cache',
      )
      return
    }
    if (this.discovered || this.closed) return
    if (
      cached === undefined ||
      cached.issuerURL !== this.issuer.url ||
      cached.discoveryURL !== this.issuer.discoveryURL
    )
      return
    let doc: DiscoveryDocument
    try {
      doc = parseDiscovery(Buffer.from(cached.discovery, 'utf8'), this.issuer.url)
    } catch {
      return
    }
    const keys = this.newKeySet(doc.jwksURI)
    if (!keys.seed(Buffer.from(cached.jwks, 'utf8'))) {
      keys.close()
      return
    }
    this.discovery = doc
    this.keys = keys
    this.fromCache = true
    this.conditions.set(
      'JWKSFetchValid',
      'Unknown',
      'FromKeyCache',
      `using keys cached at ${cached.savedAt}`,
    )
    this.options.logger.warn(
      { issuer: this.issuer.url, savedAt: cached.savedAt },
      'issuer unreachable; using cached discovery and keys',
    )
  }

  private async saveToCache(): Promise<void> {
    const dir = this.options.keyCacheDir
    const body = this.keys?.lastBody
    if (dir === undefined || this.discovery === undefined || body === undefined || this.fromCache)
      return
    try {
      await saveCachedKeys(dir, this.issuerHash, {
        issuerURL: this.issuer.url,
        discoveryURL: this.issuer.discoveryURL,
        discovery: this.discovery.raw.toString('utf8'),
        jwks: body.toString('utf8'),
        savedAt: this.options.clock.now().toISOString(),
      })
    } catch (err) {
      this.options.logger.warn(
        { issuer: this.issuer.url, err: (err as Error).message },
        'could not write key cache',
      )
    }
  }
}
