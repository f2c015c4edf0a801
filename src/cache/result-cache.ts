import { LRUCache } from 'lru-cache'
import type { Clock } from '../runtime/clock.js'
import { systemClock } from '../runtime/clock.js'
import type { AuthOutcome } from '../token/types.js'
import { reviewCacheKey } from './cache-key.js'

export { reviewCacheKey } from './cache-key.js'

/** Defaults of `--cache-ttl` and `--cache-max-entries` (CONTRACT.md). */
export const DEFAULT_CACHE_TTL_MS = 10_000
export const DEFAULT_CACHE_MAX_ENTRIES = 100_000

/** Options of {@link ResultCache}; every field optional, defaults resolved at construction. */
export interface ResultCacheOptions {
  /** `--cache-ttl` in milliseconds: longest life of any entry. `0` turns the cache off. Default 10 s. */
  ttlMs?: number
  /** `--cache-max-entries`: bound on authenticated entries. Default 100000. */
  maxEntries?: number
  /** Bound on rejected and not-mine entries. Default `max(1000, floor(maxEntries / 10))`. */
  negativeMaxEntries?: number
  /** Life of rejected and not-mine entries, capped at `ttlMs`. Default `ttlMs`. */
  negativeTtlMs?: number
  /** Time source for entry expiry. Default the system clock. */
  clock?: Clock
}

/** What a `compute` callback hands back: the outcome and, when authenticated, the token's `exp`. */
export interface ComputedOutcome {
  outcome: AuthOutcome
  /**
   * The token's `exp` in seconds since the epoch. An authenticated entry never
   * outlives it; `undefined` (a token without `exp`) bounds the entry by the TTL alone.
   */
  exp?: number | undefined
}

/** The answer of {@link ResultCache.review}. */
export interface CachedReview {
  /** Shared between every caller that gets it from the cache: treat as read-only. */
  outcome: AuthOutcome
  /** True when the answer came from a stored entry. */
  hit: boolean
  /** True when this call joined a computation another call had started (counted as a miss). */
  coalesced: boolean
}

/** Counters and sizes for metrics. Counters only grow; sizes include entries not yet found expired. */
export interface ResultCacheStats {
  hits: number
  misses: number
  coalesced: number
  positiveEntries: number
  negativeEntries: number
}

interface Entry {
  readonly outcome: AuthOutcome
  /** Milliseconds since the epoch, by the injected clock. */
  readonly expiresAt: number
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`"${name}" option must be an integer >= ${min}, got ${String(value)}`)
  }
  return value
}

/**
 * A cache of review outcomes, keyed by {@link reviewCacheKey} (never the token).
 *
 * - Authenticated outcomes live for `min(ttl, exp - now)` and are not stored at
 *   all when that is not positive, so a cached answer never outlives the token.
 * - Definitive rejections and "not mine" answers live in a separate, smaller
 *   LRU, so a flood of distinct bad tokens cannot evict good entries.
 *   Transient rejections (`rejection.transient`) are never stored, so a user
 *   recovers as soon as the issuer does (tokenreview-webhook.md §7).
 * - Concurrent reviews of the same uncached key share one computation; a
 *   computation that throws is propagated to every waiter and not stored.
 *
 * Expiry uses the injected clock, not lru-cache's own TTL (which reads
 * `performance.now`): each entry stores its `expiresAt` and is checked on read.
 * Expired entries occupy a slot until read, evicted by LRU or removed by {@link prune}.
 *
 * Memory: an entry is a 43-character key (~70 bytes as a V8 string), a
 * two-field record (~32 bytes), its share of lru-cache's bookkeeping (~40 bytes:
 * the key Map plus preallocated index arrays) and the outcome object itself
 * (a few hundred bytes for a typical user). About 0.5 KiB per entry, so the
 * default bound of 100000 is in the order of 50 MiB at worst.
 */
export class ResultCache {
  readonly ttlMs: number
  readonly negativeTtlMs: number
  readonly #clock: Clock
  readonly #positive: LRUCache<string, Entry> | undefined
  readonly #negative: LRUCache<string, Entry> | undefined
  readonly #inflight = new Map<string, Promise<AuthOutcome>>()
  /** Bumped by dropIssuer/clear so computations started before it are not stored. */
  #epoch = 0
  #hits = 0
  #misses = 0
  #coalesced = 0

  constructor(options: ResultCacheOptions = {}) {
    this.ttlMs = checkCount('ttlMs', options.ttlMs ?? DEFAULT_CACHE_TTL_MS, 0)
    const maxEntries = checkCount('maxEntries', options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES, 1)
    const negativeMax = checkCount(
      'negativeMaxEntries',
      options.negativeMaxEntries ?? Math.max(1000, Math.floor(maxEntries / 10)),
      1,
    )
    this.negativeTtlMs = Math.min(
      checkCount('negativeTtlMs', options.negativeTtlMs ?? this.ttlMs, 0),
      this.ttlMs,
    )
    this.#clock = options.clock ?? systemClock
    if (this.ttlMs > 0) {
      this.#positive = new LRUCache<string, Entry>({ max: maxEntries })
      if (this.negativeTtlMs > 0) this.#negative = new LRUCache<string, Entry>({ max: negativeMax })
    }
  }

  /** False when `--cache-ttl` is 0: every review computes, nothing is stored or shared. */
  get enabled(): boolean {
    return this.#positive !== undefined
  }

  /**
   * Answers from the cache when a live entry exists; otherwise runs `compute`
   * (once for all concurrent callers of the same key) and stores what may be stored.
   */
  async review(
    token: string,
    audiences: readonly string[],
    compute: () => Promise<ComputedOutcome>,
  ): Promise<CachedReview> {
    if (this.#positive === undefined) {
      this.#misses++
      const { outcome } = await compute()
      return { outcome, hit: false, coalesced: false }
    }
    const key = reviewCacheKey(token, audiences)
    const cached = this.#lookup(key)
    if (cached !== undefined) {
      this.#hits++
      return { outcome: cached, hit: true, coalesced: false }
    }
    this.#misses++
    const running = this.#inflight.get(key)
    if (running !== undefined) {
      this.#coalesced++
      return { outcome: await running, hit: false, coalesced: true }
    }
    const started = this.#start(key, compute)
    return { outcome: await started, hit: false, coalesced: false }
  }

  /**
   * Removes every entry whose outcome belongs to `issuerUrl`, and every
   * "not mine" entry (a changed issuer set may now claim those tokens).
   * Computations already running are not stored when they finish. On reload,
   * call it for each issuer whose `jwt[i]` changed, was added or was removed.
   *
   * @returns how many entries were removed.
   */
  dropIssuer(issuerUrl: string): number {
    this.#epoch++
    this.#inflight.clear()
    let removed = 0
    for (const lru of [this.#positive, this.#negative]) {
      if (lru === undefined) continue
      const doomed: string[] = []
      for (const [key, entry] of lru.entries()) {
        const { outcome } = entry
        if (outcome.kind === 'not-mine' || outcome.issuer === issuerUrl) doomed.push(key)
      }
      for (const key of doomed) if (lru.delete(key)) removed++
    }
    return removed
  }

  /** Removes every entry; computations already running are not stored. */
  clear(): void {
    this.#epoch++
    this.#inflight.clear()
    this.#positive?.clear()
    this.#negative?.clear()
  }

  /**
   * Removes entries that have expired by the clock.
   *
   * @returns how many were removed.
   */
  prune(): number {
    const now = this.#clock.now().getTime()
    let removed = 0
    for (const lru of [this.#positive, this.#negative]) {
      if (lru === undefined) continue
      const doomed: string[] = []
      for (const [key, entry] of lru.entries()) if (entry.expiresAt <= now) doomed.push(key)
      for (const key of doomed) if (lru.delete(key)) removed++
    }
    return removed
  }

  /** Counters and sizes, read by the metrics collector. */
  stats(): ResultCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      coalesced: this.#coalesced,
      positiveEntries: this.#positive?.size ?? 0,
      negativeEntries: this.#negative?.size ?? 0,
    }
  }

  #lookup(key: string): AuthOutcome | undefined {
    const now = this.#clock.now().getTime()
    for (const lru of [this.#positive, this.#negative]) {
      const entry = lru?.get(key)
      if (entry === undefined) continue
      if (now < entry.expiresAt) return entry.outcome
      lru?.delete(key)
    }
    return undefined
  }

  #start(key: string, compute: () => Promise<ComputedOutcome>): Promise<AuthOutcome> {
    const epoch = this.#epoch
    let computation: Promise<ComputedOutcome>
    try {
      computation = compute()
    } catch (err) {
      computation = Promise.reject(err)
    }
    const settled = computation.then(
      ({ outcome, exp }) => {
        if (this.#inflight.get(key) === settled) this.#inflight.delete(key)
        if (epoch === this.#epoch) this.#store(key, outcome, exp)
        return outcome
      },
      (err: unknown) => {
        if (this.#inflight.get(key) === settled) this.#inflight.delete(key)
        throw err
      },
    )
    this.#inflight.set(key, settled)
    return settled
  }

  #store(key: string, outcome: AuthOutcome, exp: number | undefined): void {
    const now = this.#clock.now().getTime()
    if (outcome.kind === 'authenticated') {
      let expiresAt = now + this.ttlMs
      if (exp !== undefined) expiresAt = Math.min(expiresAt, exp * 1000)
      if (!(expiresAt > now)) return
      this.#negative?.delete(key)
      this.#positive?.set(key, { outcome, expiresAt })
      return
    }
    if (outcome.kind === 'rejected' && outcome.rejection.transient) return
    this.#positive?.delete(key)
    this.#negative?.set(key, { outcome, expiresAt: now + this.negativeTtlMs })
  }
}
