/**
 * The JWKS of one issuer: fetched right after discovery, each key imported once,
 * last good keys kept on failure, refreshed in the background before the
 * response's max-age runs out, and refetched at once (single flight, at most
 * once per second) when a token names a `kid` we do not have. go-oidc v2's remote
 * key set (jwks.go) is lazier; docs/reference/verification.md lists the differences.
 */
import { redactURL } from '../go/redact-url.js'
import { createHash } from 'node:crypto'
import type { Logger } from '../log/logger.js'
import { systemMonotonicClock, type CancelTimer, type MonotonicClock } from '../runtime/clock.js'
import { refreshDelayMs, DEFAULT_REFRESH_POLICY, type RefreshPolicy } from './cache-control.js'
import type { HttpClient } from './http-client.js'
import {
  describeSkippedKey,
  importKeySet,
  type ImportedKey,
  type ImportedKeySet,
  type SkippedKey,
} from './jwk-import.js'
import { shortBody } from './short-body.js'

export interface KeySetOptions {
  readonly client: HttpClient
  readonly logger: Logger
  readonly refreshPolicy?: RefreshPolicy
  /** Smallest gap between two on-demand refetches (default 1000 ms). */
  readonly minRefetchIntervalMs?: number
  /** Called after every fetch attempt. */
  readonly onFetch?: (
    ok: boolean,
    keySetHash: string | undefined,
    error: string | undefined,
  ) => void
  readonly now: () => Date
  /** Key lifetimes, the refetch rate limit and the refresh timer (default the system's). */
  readonly monotonic?: MonotonicClock
}

/** The keys a token is verified with: fetched from a JWKS, or static (tests, Kubernetes' `oidc.Options.KeySet`). */
export interface KeySet {
  /** True once a key set (possibly empty) is in place. */
  readonly ready: boolean
  /** True when the keys are past their lifetime (a refresh failed or is late). */
  readonly stale: boolean
  /** Error text of the last failed fetch, cleared on success. */
  readonly lastError: string | undefined
  /** The keys a token may be verified with: those with its `kid`, or all when it has none. */
  candidates(kid: string | undefined): readonly ImportedKey[]
  /** A refetch for a token whose key is missing; undefined when none may run now. */
  refetchForToken(): Promise<FetchOutcome> | undefined
}

export type FetchOutcome = { ok: true } | { ok: false; error: string }

/** `sha256:<hex>` of a JWKS body (kube-apiserver's key-set info label). */
export function keySetHash(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`
}

const EMPTY: ImportedKeySet = { keys: [], byKid: new Map(), skipped: [] }

export class RemoteKeySet implements KeySet {
  private set: ImportedKeySet = EMPTY
  private fetched = false
  private expiresAt = 0 // monotonic ms
  private lastAttemptAt = Number.NEGATIVE_INFINITY
  private inflight: Promise<FetchOutcome> | undefined
  private cancelTimer: CancelTimer | undefined
  private closed = false
  private readonly policy: RefreshPolicy
  private readonly minRefetchMs: number
  private readonly monotonic: MonotonicClock
  /** Error text of the last failed attempt, cleared on success. */
  lastError: string | undefined
  /** When keys were last fetched successfully (injected clock). */
  lastSuccess: Date | undefined
  /** The raw body of the current set (for the key cache). */
  lastBody: Buffer | undefined

  constructor(
    readonly jwksURI: string,
    private readonly options: KeySetOptions,
  ) {
    this.policy = options.refreshPolicy ?? DEFAULT_REFRESH_POLICY
    this.minRefetchMs = options.minRefetchIntervalMs ?? 1000
    this.monotonic = options.monotonic ?? systemMonotonicClock
  }

  /** True once a fetch (or a cached set) has provided a key set. */
  get ready(): boolean {
    return this.fetched
  }

  get keyCount(): number {
    return this.set.keys.length
  }

  /** The keys of the current set that cannot verify anything, with the reason for each. */
  get skippedKeys(): readonly SkippedKey[] {
    return this.set.skipped
  }

  /** The keys a token may be verified with: those with its `kid`, or all when it has none. */
  candidates(kid: string | undefined): readonly ImportedKey[] {
    if (kid === undefined || kid === '') return this.set.keys
    return this.set.byKid.get(kid) ?? []
  }

  /** True when the keys are past their lifetime (the background refresh failed or is late). */
  get stale(): boolean {
    return !this.fetched || this.monotonic.nowMs() >= this.expiresAt
  }

  /** Installs a key set from a stored body (key cache) without fetching. */
  seed(body: Buffer): boolean {
    const imported = importKeySet(body)
    if (!imported.ok) return false
    this.install(imported.set, body, { lifetimeMs: 0 })
    return true
  }

  /** Fetches now, coalescing with a fetch already under way. */
  fetch(): Promise<FetchOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, error: 'key set closed' })
    if (this.inflight !== undefined) return this.inflight
    this.lastAttemptAt = this.monotonic.nowMs()
    const run = this.fetchOnce().finally(() => {
      this.inflight = undefined
    })
    this.inflight = run
    return run
  }

  /**
   * The on-demand refetch for a token whose key is missing: at most one per
   * `minRefetchIntervalMs`. Returns undefined when the rate limit skipped it.
   */
  refetchForToken(): Promise<FetchOutcome> | undefined {
    if (this.inflight !== undefined) return this.inflight
    if (this.monotonic.nowMs() - this.lastAttemptAt < this.minRefetchMs) return undefined
    return this.fetch()
  }

  close(): void {
    this.closed = true
    this.cancelTimer?.()
    this.cancelTimer = undefined
  }

  private async fetchOnce(): Promise<FetchOutcome> {
    let outcome: FetchOutcome
    let hash: string | undefined
    let delay = { lifetimeMs: this.policy.minMs, refreshInMs: this.policy.minMs }
    try {
      const res = await this.options.client.get(this.jwksURI)
      if (res.status !== 200) {
        outcome = {
          ok: false,
          error: `oidc: get keys failed: ${res.statusText} ${shortBody(res.body)}`,
        }
      } else {
        const imported = importKeySet(res.body)
        if (!imported.ok) {
          outcome = { ok: false, error: `${imported.message} ${shortBody(res.body)}` }
        } else {
          hash = keySetHash(res.body)
          delay = refreshDelayMs(res.headers, this.policy)
          this.install(imported.set, res.body, delay)
          outcome = { ok: true }
        }
      }
    } catch (err) {
      outcome = { ok: false, error: `oidc: get keys failed ${(err as Error).message}` }
    }
    if (outcome.ok) {
      this.lastError = undefined
      this.lastSuccess = this.options.now()
    } else {
      this.lastError = outcome.error
      this.options.logger.warn(
        { jwksURI: redactURL(this.jwksURI), err: outcome.error },
        'JWKS fetch failed; keeping last good keys',
      )
    }
    this.options.onFetch?.(outcome.ok, hash, outcome.ok ? undefined : outcome.error)
    // On failure retry sooner than a full lifetime, but never in a tight loop.
    this.schedule(outcome.ok ? delay.refreshInMs : Math.min(this.policy.minMs, 60_000))
    return outcome
  }

  private install(set: ImportedKeySet, body: Buffer, delay: { lifetimeMs: number }): void {
    // Logged once per distinct set, not on every refresh of the same body.
    if (set.skipped.length > 0 && (this.lastBody === undefined || !this.lastBody.equals(body))) {
      for (const skipped of set.skipped) {
        this.options.logger.warn(
          { jwksURI: redactURL(this.jwksURI), key: describeSkippedKey(skipped) },
          'JWKS key skipped: it cannot verify any token',
        )
      }
    }
    this.set = set
    this.fetched = true
    this.lastBody = body
    this.expiresAt = this.monotonic.nowMs() + delay.lifetimeMs
  }

  private schedule(ms: number): void {
    if (this.closed) return
    this.cancelTimer?.()
    this.cancelTimer = this.monotonic.startTimer(ms, () => {
      this.cancelTimer = undefined
      void this.fetch()
    })
  }
}
