/**
 * The reviewer applies the revocation list in force to every answer, cache
 * hits included, and counts and logs a refused token with reason `revoked`.
 */
import { describe, expect, it } from '@jest/globals'
import { ResultCache } from '../../../src/cache/result-cache.js'
import { createLogger } from '../../../src/log/logger.js'
import { WebhookMetrics } from '../../../src/metrics/registry.js'
import { parseRevocationListText } from '../../../src/revocation/parse.js'
import { RevocationList } from '../../../src/revocation/revocation-list.js'
import { createReviewer } from '../../../src/server/reviewer.js'
import type { AuthOutcome, TokenAuthenticator } from '../../../src/token/types.js'
import { NOW, NOW_S, SteppableClock } from '../../helpers/fixed-clock.js'
import { parsePrometheusText, total } from '../../helpers/prometheus-text.js'

const ISSUER = 'https://a.example.com'

function listOf(entries: Record<string, string>[]): RevocationList {
  const result = parseRevocationListText(
    JSON.stringify({ apiVersion: 'kube-oidc-webhook/v1alpha1', kind: 'RevocationList', entries }),
  )
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.list
}

/** Answers every token as an authenticated user named after it, counting verifications. */
class CountingAuthenticator implements TokenAuthenticator {
  calls = 0
  async authenticate(token: string): Promise<AuthOutcome> {
    this.calls++
    return {
      kind: 'authenticated',
      issuer: ISSUER,
      user: { username: `oidc:${token}`, uid: '', groups: [], extra: {} },
      exp: NOW_S + 3600,
      identity: { subject: token, tokenID: `jti-${token}`, issuedAt: NOW_S - 60 },
    }
  }
}

function setup() {
  const clock = new SteppableClock(NOW)
  const inner = new CountingAuthenticator()
  const cache = new ResultCache({ ttlMs: 60_000, clock })
  const metrics = new WebhookMetrics({ apiserverId: 'test', defaultMetrics: false, clock })
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  })
  let list = RevocationList.EMPTY
  const reviewer = createReviewer({
    current: () => inner,
    cache,
    logger,
    metrics,
    revocations: () => list,
    clock,
  })
  return {
    clock,
    inner,
    reviewer,
    metrics,
    lines,
    setList: (l: RevocationList) => (list = l),
  }
}

describe('reviewer with a revocation list', () => {
  it('refuses a cached token once the list names it, and accepts it again once the list does not', async () => {
    const t = setup()
    expect((await t.reviewer.review('jane', [])).kind).toBe('authenticated')
    expect((await t.reviewer.review('jane', [])).kind).toBe('authenticated')
    expect(t.inner.calls).toBe(1)

    t.setList(listOf([{ issuer: ISSUER, subject: 'jane' }]))
    const refused = await t.reviewer.review('jane', [])
    expect(refused.kind === 'rejected' && refused.rejection.reason).toBe('revoked')
    expect((await t.reviewer.review('bob', [])).kind).toBe('authenticated')

    t.setList(RevocationList.EMPTY)
    expect((await t.reviewer.review('jane', [])).kind).toBe('authenticated')
    // Every answer for jane came from the one verification: the cache keeps the authenticated outcome.
    expect(t.inner.calls).toBe(2)
  })

  it('an entry stops refusing at its expiresAt, read from the injected clock', async () => {
    const t = setup()
    t.setList(
      listOf([
        {
          issuer: ISSUER,
          tokenID: 'jti-jane',
          expiresAt: new Date(NOW.getTime() + 1000).toISOString(),
        },
      ]),
    )
    expect((await t.reviewer.review('jane', [])).kind).toBe('rejected')
    t.clock.advance(1000)
    expect((await t.reviewer.review('jane', [])).kind).toBe('authenticated')
  })

  it('counts the refusal under reason revoked and logs it with the entry, never the token', async () => {
    const t = setup()
    t.setList(listOf([{ issuer: ISSUER, issuedBefore: NOW.toISOString() }]))
    await t.reviewer.review('jane', [])
    await t.reviewer.review('jane', [])
    const m = parsePrometheusText(await t.metrics.render())
    expect(total(m, 'kube_oidc_webhook_rejections_total', { reason: 'revoked' })).toBe(2)
    expect(total(m, 'kube_oidc_webhook_reviews_total', { result: 'rejected' })).toBe(2)
    const reviews = t.lines.filter((l) => l['msg'] === 'token review')
    expect(
      reviews.map((l) => [l['result'], l['reason'], l['step'], l['error'], l['cacheHit']]),
    ).toEqual([
      [
        'rejected',
        'revoked',
        'revocation',
        'token revoked by the revocation list (entries[0]: issuedBefore 2030-01-01T00:00:00Z)',
        false,
      ],
      [
        'rejected',
        'revoked',
        'revocation',
        'token revoked by the revocation list (entries[0]: issuedBefore 2030-01-01T00:00:00Z)',
        true,
      ],
    ])
  })
})
