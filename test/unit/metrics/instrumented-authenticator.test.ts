/** Latency per issuer recorded by a wrapper, as kube-apiserver's instrumented authenticator does. */
import { describe, expect, it } from '@jest/globals'
import { parseAuthenticationConfig } from '../../../src/config/load.js'
import { instrumentAuthenticator } from '../../../src/metrics/instrumented-authenticator.js'
import { WebhookMetrics } from '../../../src/metrics/registry.js'
import { ManualMonotonicClock } from '../../../src/runtime/clock.js'
import type { ConfigAuthenticator } from '../../../src/token/authenticator.js'
import { TokenRejected, type AuthOutcome } from '../../../src/token/types.js'

const ISSUER = 'https://issuer.example.test'
const parsed = parseAuthenticationConfig(
  JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [
      {
        issuer: { url: ISSUER, audiences: ['k'] },
        claimMappings: { username: { claim: 'sub', prefix: '' } },
      },
    ],
  }),
)
if (!parsed.ok) throw new Error(parsed.errors.join('; '))
const config = parsed.config
const issuerHash = config.jwt[0]?.issuerHash ?? ''

/** An authenticator answering from a table, taking `tookMs` of manual time per token. */
function scripted(
  clock: ManualMonotonicClock,
  answers: Record<string, AuthOutcome>,
  tookMs: number,
): ConfigAuthenticator {
  return {
    async authenticate(token) {
      clock.advance(tookMs)
      return answers[token] ?? { kind: 'not-mine' }
    },
    issuers: () => [],
    waitForFirstAttempts: async () => {},
    close: async () => {},
  }
}

describe('instrumentAuthenticator', () => {
  it('records success and failure latency per issuer hash, nothing for not-mine', async () => {
    const clock = new ManualMonotonicClock()
    const metrics = new WebhookMetrics({ apiserverId: 'test' })
    const user = { username: 'jane', uid: '', groups: [], extra: {} }
    const inner = scripted(
      clock,
      {
        good: { kind: 'authenticated', issuer: ISSUER, user },
        bad: {
          kind: 'rejected',
          issuer: ISSUER,
          rejection: new TokenRejected('expired', 'verify', 'token is expired'),
        },
      },
      250,
    )
    const auth = instrumentAuthenticator(inner, config, metrics, clock)
    expect(auth.inner).toBe(inner)
    expect((await auth.authenticate('good')).kind).toBe('authenticated')
    expect((await auth.authenticate('bad')).kind).toBe('rejected')
    expect((await auth.authenticate('other')).kind).toBe('not-mine')
    const text = await metrics.registry.metrics()
    const series = (result: string, field: string) =>
      text
        .split('\n')
        .find(
          (l) =>
            l.startsWith(`apiserver_authentication_jwt_authenticator_latency_seconds_${field}{`) &&
            l.includes(`result="${result}"`) &&
            l.includes(`jwt_issuer_hash="${issuerHash}"`),
        )
    expect(series('success', 'count')).toMatch(/ 1$/)
    expect(series('failure', 'count')).toMatch(/ 1$/)
    expect(series('success', 'sum')).toMatch(/ 0\.25$/)
    expect(text).not.toContain('not-mine')
  })
})
