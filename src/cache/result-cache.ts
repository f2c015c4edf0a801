import { LRUCache } from 'lru-cache'
import type { Clock } from '../runtime/clock.js'
import { systemClock } from '../runtime/clock.js'
import type { AuthOutcome } from '../token/types.js'
import { reviewCacheKey } from './cache-key.js'

export { reviewCacheKey } from './cache-key.js'

/** Defaults of `--cache-ttl` and `--cache-max-entries`. */
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

/** The answer of {@link ResultCache.getOrCompute}. */
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
 *   recovers as soon as the issuer does.
 * - Concurrent reviews of the same uncached key share one computation; a
 *   computation that throws is propagated to every waiter and not stored.
 *
 * Expiry is lru-cache's own per-entry TTL, read through the injected clock
 * (its `perf` option), so no wrapper object is kept per entry. Expired entries
 * occupy a slot until read, evicted by LRU or removed by {@link prune}; `serve`
 * prunes on a timer so memory follows the live entries, not the bound.
 *
 * Memory: an entry is a 43-character key (~70 bytes as a V8 string), its share
 * of lru-cache's bookkeeping (~60 bytes: the key Map plus preallocated index and
 * TTL arrays) and the outcome object itself (a few hundred bytes for a typical
 * user). Under 0.5 KiB per entry, so the default bound of 100000 is in the
 * order of 40 MiB at worst.
 */
/** `compute()`, with a synchronous throw turned into a rejection. */
function run(compute: () => Promise<AuthOutcome>): Promise<AuthOutcome> {
  try {
    return compute()
  } catch (err) {
    return Promise.reject(err)
  }
}

const missed = (outcome: AuthOutcome): CachedReview => ({ outcome, hit: false, coalesced: false })
const joined = (outcome: AuthOutcome): CachedReview => ({ outcome, hit: false, coalesced: true })

export class ResultCache {
  readonly ttlMs: number
  readonly negativeTtlMs: number
  readonly #clock: Clock
  readonly #positive: LRUCache<string, AuthOutcome> | undefined
  readonly #negative: LRUCache<string, AuthOutcome> | undefined
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
      const clock = this.#clock
      const common = {
        // Every read consults the injected clock (no cached "now" between ticks).
        // The system clock's time without a Date per read (lru-cache reads it on every get).
        perf: { now: clock === systemClock ? Date.now : () => clock.now().getTime() },
        ttlResolution: 0,
        allowStale: false,
        updateAgeOnGet: false,
      }
      this.#positive = new LRUCache<string, AuthOutcome>({
        ...common,
        max: maxEntries,
        ttl: this.ttlMs,
      })
      if (this.negativeTtlMs > 0) {
        this.#negative = new LRUCache<string, AuthOutcome>({
          ...common,
          max: negativeMax,
          ttl: this.negativeTtlMs,
        })
      }
    }
  }

  /** False when `--cache-ttl` is 0: every review computes, nothing is stored or shared. */
  get enabled(): boolean {
    return this.#positive !== undefined
  }

  /**
   * Answers from the cache when a live entry exists, synchronously: a hit
   * costs no promise and no turn of the microtask queue. Otherwise runs
   * `compute` (once for all concurrent callers of the same key) and stores
   * what may be stored. Never throws: a failed computation is a rejection.
   */
  getOrCompute(
    token: string,
    audiences: readonly string[],
    compute: () => Promise<AuthOutcome>,
  ): CachedReview | Promise<CachedReview> {
    if (this.#positive === undefined) {
      this.#misses++
      return run(compute).then(missed)
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
      return running.then(joined)
    }
    return this.#start(key, compute).then(missed)
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
      for (const [key, outcome] of lru.entries()) {
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
    const before = (this.#positive?.size ?? 0) + (this.#negative?.size ?? 0)
    this.#positive?.purgeStale()
    this.#negative?.purgeStale()
    return before - (this.#positive?.size ?? 0) - (this.#negative?.size ?? 0)
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
    // get() drops an entry whose TTL has passed and answers undefined.
    return this.#positive?.get(key) ?? this.#negative?.get(key)
  }

  #start(key: string, compute: () => Promise<AuthOutcome>): Promise<AuthOutcome> {
    const epoch = this.#epoch
    const computation = run(compute)
    const settled = computation.then(
      (outcome) => {
        if (this.#inflight.get(key) === settled) this.#inflight.delete(key)
        if (epoch === this.#epoch) this.#store(key, outcome)
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

  /**
   * An authenticated entry never outlives the token's `exp`; a token without
   * `exp` is bounded by the TTL alone.
   */
  #store(key: string, outcome: AuthOutcome): void {
    if (outcome.kind === 'authenticated') {
      let ttl = this.ttlMs
      if (outcome.exp !== undefined)
        ttl = Math.min(ttl, outcome.exp * 1000 - this.#clock.now().getTime())
      if (!(ttl > 0)) return
      this.#negative?.delete(key)
      this.#positive?.set(key, outcome, { ttl })
      return
    }
    if (outcome.kind === 'rejected' && outcome.rejection.transient) return
    this.#positive?.delete(key)
    this.#negative?.set(key, outcome)
  }
}
