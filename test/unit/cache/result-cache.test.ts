import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  ResultCache,
  reviewCacheKey,
  type CachedReview,
  type ResultCacheOptions,
} from '../../../src/cache/result-cache.js'
import type { Clock } from '../../../src/runtime/clock.js'
import { TokenRejected, type AuthOutcome } from '../../../src/token/types.js'

/** 2026-11-22T00:00:00Z, a named instant; `exp` values below are relative to it. */
const NOW_MS = Date.UTC(2026, 10, 22, 0, 0, 0)
const NOW_S = NOW_MS / 1000
const ISSUER_A = 'https://a.example.com'
const ISSUER_B = 'https://b.example.com'

class SteppingClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms)
  }
  advance(ms: number): void {
    this.ms += ms
  }
}

function authenticated(issuer: string, username: string): AuthOutcome {
  return { kind: 'authenticated', issuer, user: { username, uid: '', groups: [], extra: {} } }
}

function rejected(issuer: string, transient = false): AuthOutcome {
  const rejection = transient
    ? new TokenRejected('keys_unavailable', 'verify', 'fetching keys failed', true)
    : new TokenRejected('bad_signature', 'verify', 'failed to verify id token signature')
  return { kind: 'rejected', issuer, rejection }
}

const NOT_MINE: AuthOutcome = { kind: 'not-mine' }

/** An outcome and the token's `exp`, as the tables below spell them. */
interface ComputedOutcome {
  outcome: AuthOutcome
  exp?: number | undefined
}

/**
 * `cache.getOrCompute` with the `exp` of the table put on the outcome itself,
 * where the cache reads it; not enumerable, so the tables compare outcomes
 * without it.
 */
function review(
  cache: ResultCache,
  token: string,
  audiences: readonly string[],
  compute: () => Promise<ComputedOutcome>,
): Promise<CachedReview> {
  return Promise.resolve(
    cache.getOrCompute(token, audiences, async () => {
      const { outcome, exp } = await compute()
      if (outcome.kind === 'authenticated' && exp !== undefined)
        Object.defineProperty(outcome, 'exp', { value: exp, enumerable: false, configurable: true })
      return outcome
    }),
  )
}

/** A compute callback that counts its calls and answers from a fixed value. */
function counting(result: ComputedOutcome): {
  calls: () => number
  fn: () => Promise<ComputedOutcome>
} {
  let calls = 0
  return { calls: () => calls, fn: async () => (calls++, result) }
}

function makeCache(options: ResultCacheOptions = {}): { cache: ResultCache; clock: SteppingClock } {
  const clock = new SteppingClock(NOW_MS)
  return { cache: new ResultCache({ clock, ...options }), clock }
}

describe('reviewCacheKey', () => {
  it('is the SHA-256 of the length-prefixed token and audiences, in base64url', () => {
    const framed = '3:tok1:3:aud'
    expect(reviewCacheKey('tok', ['aud'])).toBe(
      createHash('sha256').update(framed).digest('base64url'),
    )
  })

  it('hashes the UTF-8 bytes of text outside ASCII, lengths in UTF-16 code units', () => {
    expect(reviewCacheKey('\u00e9\u{1f511}', ['\u00fc'])).toBe(
      createHash('sha256').update('3:\u00e9\u{1f511}1:1:\u00fc', 'utf8').digest('base64url'),
    )
  })

  it.each([
    { name: 'token/audience boundary moved', a: ['ab', ['c']], b: ['a', ['bc']] },
    { name: 'audience split in two', a: ['t', ['ab']], b: ['t', ['a', 'b']] },
    { name: 'no audience vs one empty audience', a: ['t', []], b: ['t', ['']] },
    { name: 'audience order', a: ['t', ['x', 'y']], b: ['t', ['y', 'x']] },
    { name: 'different token', a: ['t1', []], b: ['t2', []] },
  ] as const)('differs: $name', ({ a, b }) => {
    expect(reviewCacheKey(a[0], a[1])).not.toBe(reviewCacheKey(b[0], b[1]))
  })

  it('is 43 characters and does not contain the token', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
    const key = reviewCacheKey(token, [])
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(key).not.toContain('eyJ')
  })
})

describe('ResultCache options', () => {
  it.each([
    { options: { ttlMs: -1 }, message: '"ttlMs" option must be an integer >= 0, got -1' },
    { options: { maxEntries: 0 }, message: '"maxEntries" option must be an integer >= 1, got 0' },
    { options: { ttlMs: 1.5 }, message: '"ttlMs" option must be an integer >= 0, got 1.5' },
    {
      options: { negativeMaxEntries: 0 },
      message: '"negativeMaxEntries" option must be an integer >= 1, got 0',
    },
  ])('rejects $options', ({ options, message }) => {
    expect(() => new ResultCache(options)).toThrow(new TypeError(message))
  })

  it('caps the negative TTL at the positive one', () => {
    expect(new ResultCache({ ttlMs: 5000, negativeTtlMs: 60000 }).negativeTtlMs).toBe(5000)
  })
})

describe('ResultCache.getOrCompute', () => {
  it('answers a repeat from the cache with the same outcome object', async () => {
    const { cache } = makeCache()
    const outcome = authenticated(ISSUER_A, 'alice')
    const c = counting({ outcome, exp: NOW_S + 3600 })
    const first = await review(cache, 'tok', ['aud'], c.fn)
    const second = await review(cache, 'tok', ['aud'], c.fn)
    expect(first).toEqual({ outcome, hit: false, coalesced: false })
    expect(second.hit).toBe(true)
    expect(second.outcome).toBe(outcome)
    expect(c.calls()).toBe(1)
    expect(cache.stats()).toEqual({
      hits: 1,
      misses: 1,
      coalesced: 0,
      positiveEntries: 1,
      negativeEntries: 0,
    })
  })

  it('answers a hit synchronously and a miss with a promise', async () => {
    const { cache } = makeCache()
    const outcome = authenticated(ISSUER_A, 'alice')
    const miss = cache.getOrCompute('tok', [], async () => outcome)
    expect(miss).toBeInstanceOf(Promise)
    await miss
    const hit = cache.getOrCompute('tok', [], async () => outcome)
    expect(hit).not.toBeInstanceOf(Promise)
    expect(hit).toEqual({ outcome, hit: true, coalesced: false })
  })

  it('keeps separate entries for different audiences', async () => {
    const { cache } = makeCache()
    const c = counting({ outcome: authenticated(ISSUER_A, 'alice'), exp: NOW_S + 3600 })
    await review(cache, 'tok', ['a'], c.fn)
    const other = await review(cache, 'tok', ['b'], c.fn)
    expect(other.hit).toBe(false)
    expect(c.calls()).toBe(2)
  })

  // Each case: TTL, exp relative to now (s), how far the clock moves (ms), whether the second review hits.
  // An entry is fresh while its age is at most its TTL (lru-cache's rule); at exactly `exp`
  // the token itself is still valid (go-oidc expires it only when exp is before now).
  it.each([
    { name: 'within TTL, exp far', ttlMs: 10000, expIn: 3600, step: 9999, hit: true },
    { name: 'TTL reached exactly, exp far', ttlMs: 10000, expIn: 3600, step: 10000, hit: true },
    { name: 'TTL elapsed, exp far', ttlMs: 10000, expIn: 3600, step: 10001, hit: false },
    { name: 'exp before TTL: still before exp', ttlMs: 10000, expIn: 3, step: 2999, hit: true },
    { name: 'exp before TTL: at exp exactly', ttlMs: 10000, expIn: 3, step: 3000, hit: true },
    { name: 'exp before TTL: past exp', ttlMs: 10000, expIn: 3, step: 3001, hit: false },
    { name: 'token without exp: TTL alone', ttlMs: 10000, expIn: undefined, step: 9999, hit: true },
    { name: 'exp already now: not stored', ttlMs: 10000, expIn: 0, step: 0, hit: false },
    { name: 'exp in the past: not stored', ttlMs: 10000, expIn: -5, step: 0, hit: false },
  ])('authenticated entry: $name', async ({ ttlMs, expIn, step, hit }) => {
    const { cache, clock } = makeCache({ ttlMs })
    const exp = expIn === undefined ? undefined : NOW_S + expIn
    const c = counting({ outcome: authenticated(ISSUER_A, 'alice'), exp })
    await review(cache, 'tok', [], c.fn)
    clock.advance(step)
    const second = await review(cache, 'tok', [], c.fn)
    expect(second.hit).toBe(hit)
    expect(c.calls()).toBe(hit ? 1 : 2)
  })

  it.each([
    { name: 'definitive rejection is stored', outcome: rejected(ISSUER_A), hit: true, neg: 1 },
    { name: 'not-mine is stored', outcome: NOT_MINE, hit: true, neg: 1 },
    {
      name: 'transient rejection is not stored',
      outcome: rejected(ISSUER_A, true),
      hit: false,
      neg: 0,
    },
  ])('$name', async ({ outcome, hit, neg }) => {
    const { cache } = makeCache()
    const c = counting({ outcome })
    await review(cache, 'tok', [], c.fn)
    const second = await review(cache, 'tok', [], c.fn)
    expect(second.hit).toBe(hit)
    expect(cache.stats().negativeEntries).toBe(neg)
    expect(cache.stats().positiveEntries).toBe(0)
  })

  it('expires negative entries after the negative TTL', async () => {
    const { cache, clock } = makeCache({ ttlMs: 10000, negativeTtlMs: 2000 })
    const c = counting({ outcome: NOT_MINE })
    await review(cache, 'tok', [], c.fn)
    clock.advance(2000)
    expect((await review(cache, 'tok', [], c.fn)).hit).toBe(true)
    clock.advance(1)
    expect((await review(cache, 'tok', [], c.fn)).hit).toBe(false)
  })

  it('a flood of distinct bad tokens does not evict good entries', async () => {
    const { cache } = makeCache({ maxEntries: 10, negativeMaxEntries: 5 })
    const good = counting({ outcome: authenticated(ISSUER_A, 'alice'), exp: NOW_S + 3600 })
    for (let i = 0; i < 10; i++) await review(cache, `good-${i}`, [], good.fn)
    for (let i = 0; i < 1000; i++) {
      await review(cache, `bad-${i}`, [], async () => ({ outcome: rejected(ISSUER_A) }))
    }
    expect(cache.stats().positiveEntries).toBe(10)
    expect(cache.stats().negativeEntries).toBe(5)
    for (let i = 0; i < 10; i++)
      expect((await review(cache, `good-${i}`, [], good.fn)).hit).toBe(true)
    expect(good.calls()).toBe(10)
  })

  it('bounds authenticated entries by maxEntries, evicting the least recently used', async () => {
    const { cache } = makeCache({ maxEntries: 2 })
    const c = counting({ outcome: authenticated(ISSUER_A, 'alice'), exp: NOW_S + 3600 })
    await review(cache, 't1', [], c.fn)
    await review(cache, 't2', [], c.fn)
    await review(cache, 't1', [], c.fn) // t1 now most recent
    await review(cache, 't3', [], c.fn) // evicts t2
    expect((await review(cache, 't1', [], c.fn)).hit).toBe(true)
    expect((await review(cache, 't2', [], c.fn)).hit).toBe(false)
    expect(cache.stats().positiveEntries).toBe(2)
  })

  it('with TTL 0 computes every time and stores nothing', async () => {
    const { cache } = makeCache({ ttlMs: 0 })
    const c = counting({ outcome: authenticated(ISSUER_A, 'alice'), exp: NOW_S + 3600 })
    await review(cache, 'tok', [], c.fn)
    const second = await review(cache, 'tok', [], c.fn)
    expect(cache.enabled).toBe(false)
    expect(second).toEqual({
      outcome: authenticated(ISSUER_A, 'alice'),
      hit: false,
      coalesced: false,
    })
    expect(c.calls()).toBe(2)
    expect(cache.stats()).toEqual({
      hits: 0,
      misses: 2,
      coalesced: 0,
      positiveEntries: 0,
      negativeEntries: 0,
    })
  })
})

describe('ResultCache single-flight', () => {
  function deferred<T>(): {
    promise: Promise<T>
    resolve: (v: T) => void
    reject: (e: unknown) => void
  } {
    let resolve!: (v: T) => void
    let reject!: (e: unknown) => void
    const promise = new Promise<T>((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }

  it('runs compute once for concurrent reviews of the same key', async () => {
    const { cache } = makeCache()
    const gate = deferred<ComputedOutcome>()
    let calls = 0
    const compute = (): Promise<ComputedOutcome> => (calls++, gate.promise)
    const pending = Array.from({ length: 5 }, () => review(cache, 'tok', ['aud'], compute))
    const outcome = authenticated(ISSUER_A, 'alice')
    gate.resolve({ outcome, exp: NOW_S + 3600 })
    const results = await Promise.all(pending)
    expect(calls).toBe(1)
    expect(results.map((r) => [r.outcome, r.hit, r.coalesced])).toEqual([
      [outcome, false, false],
      [outcome, false, true],
      [outcome, false, true],
      [outcome, false, true],
      [outcome, false, true],
    ])
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 5, coalesced: 4 })
  })

  it('propagates a failed compute to every waiter and does not store it', async () => {
    const { cache } = makeCache()
    const gate = deferred<ComputedOutcome>()
    let calls = 0
    const compute = (): Promise<ComputedOutcome> => (calls++, gate.promise)
    const pending = [review(cache, 'tok', [], compute), review(cache, 'tok', [], compute)]
    gate.reject(new Error('boom'))
    const settled = await Promise.allSettled(pending)
    expect(
      settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : s.status)),
    ).toEqual(['boom', 'boom'])
    const after = await review(cache, 'tok', [], async () => ({ outcome: NOT_MINE }))
    expect(after).toEqual({ outcome: NOT_MINE, hit: false, coalesced: false })
    expect(calls).toBe(1)
  })

  it('propagates a compute that throws synchronously', async () => {
    const { cache } = makeCache()
    const compute = (): Promise<ComputedOutcome> => {
      throw new Error('sync boom')
    }
    await expect(review(cache, 'tok', [], compute)).rejects.toThrow('sync boom')
    expect(cache.stats().positiveEntries + cache.stats().negativeEntries).toBe(0)
  })

  it('does not store a computation that started before dropIssuer', async () => {
    const { cache } = makeCache()
    const gate = deferred<ComputedOutcome>()
    const pending = review(cache, 'tok', [], () => gate.promise)
    cache.dropIssuer(ISSUER_A)
    gate.resolve({ outcome: authenticated(ISSUER_A, 'old-config'), exp: NOW_S + 3600 })
    await pending
    const after = await review(cache, 'tok', [], async () => ({
      outcome: authenticated(ISSUER_A, 'new-config'),
      exp: NOW_S + 3600,
    }))
    expect(after.hit).toBe(false)
    expect(after.outcome).toEqual(authenticated(ISSUER_A, 'new-config'))
  })
})

describe('ResultCache.dropIssuer and clear', () => {
  async function fill(cache: ResultCache): Promise<void> {
    await review(cache, 'a-ok', [], async () => ({
      outcome: authenticated(ISSUER_A, 'a'),
      exp: NOW_S + 60,
    }))
    await review(cache, 'a-bad', [], async () => ({ outcome: rejected(ISSUER_A) }))
    await review(cache, 'b-ok', [], async () => ({
      outcome: authenticated(ISSUER_B, 'b'),
      exp: NOW_S + 60,
    }))
    await review(cache, 'b-bad', [], async () => ({ outcome: rejected(ISSUER_B) }))
    await review(cache, 'other', [], async () => ({ outcome: NOT_MINE }))
  }

  it.each([
    { drop: ISSUER_A, removed: 3, left: ['b-ok', 'b-bad'] },
    { drop: ISSUER_B, removed: 3, left: ['a-ok', 'a-bad'] },
    { drop: 'https://c.example.com', removed: 1, left: ['a-ok', 'a-bad', 'b-ok', 'b-bad'] },
  ])('dropIssuer($drop) removes its entries and not-mine ones', async ({ drop, removed, left }) => {
    const { cache } = makeCache()
    await fill(cache)
    expect(cache.dropIssuer(drop)).toBe(removed)
    const hits: string[] = []
    for (const token of ['a-ok', 'a-bad', 'b-ok', 'b-bad', 'other']) {
      const r = await review(cache, token, [], async () => ({ outcome: NOT_MINE }))
      if (r.hit) hits.push(token)
    }
    expect(hits).toEqual(left)
  })

  it('clear removes everything', async () => {
    const { cache } = makeCache()
    await fill(cache)
    cache.clear()
    expect(cache.stats()).toMatchObject({ positiveEntries: 0, negativeEntries: 0 })
  })

  it('prune removes only expired entries', async () => {
    const { cache, clock } = makeCache({ ttlMs: 10000, negativeTtlMs: 1000 })
    await fill(cache)
    clock.advance(1000)
    expect(cache.prune()).toBe(0)
    clock.advance(1)
    expect(cache.prune()).toBe(3)
    expect(cache.stats()).toMatchObject({ positiveEntries: 2, negativeEntries: 0 })
  })
})
