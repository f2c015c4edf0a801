/**
 * A review of a huge token does not hold up a small one: with a plausible groups
 * expression over ~20k groups (a 240 KB token), the huge review ends with the
 * cost-limit error and a small review sent right after it finishes promptly.
 * The bound is deliberately generous (one second); what it guards against is the
 * seconds an O(n²) `distinct()` used to take.
 */
import { performance } from 'node:perf_hooks'
import { afterEach, expect, it } from '@jest/globals'
import { VALID_EXP_S } from '../helpers/fixed-clock.js'
import { startTestIssuer } from '../helpers/issuer.js'
import { authenticatorFor, entryFor, summarize } from '../unit/token/authenticator-helpers.js'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

it('a huge token with an expensive groups expression does not stall a small review', async () => {
  const issuer = await startTestIssuer()
  stops.push(() => issuer.stop())
  const auth = await authenticatorFor([
    entryFor(issuer, {
      claimMappings: {
        username: { claim: 'username', prefix: '' },
        groups: { expression: 'claims.groups.distinct().filter(g, g.startsWith("g1"))' },
      },
    }),
  ])
  stops.push(() => auth.close())
  const claims = { iss: issuer.url, aud: 'my-client', exp: VALID_EXP_S, username: 'jane' }
  const huge = issuer.sign({
    ...claims,
    groups: Array.from({ length: 20_000 }, (_, i) => `g${i}`),
  })
  expect(huge.length).toBeLessThan(256 * 1024)
  const small = issuer.sign({ ...claims, groups: ['g1', 'g2', 'g1'] })

  const started = performance.now()
  const hugeReview = auth.authenticate(huge)
  const smallReview = auth.authenticate(small).then((outcome) => ({
    outcome,
    elapsedMs: performance.now() - started,
  }))
  const [hugeOutcome, smallOutcome] = await Promise.all([hugeReview, smallReview])

  expect(summarize(hugeOutcome)).toMatchObject({
    kind: 'rejected',
    message: expect.stringMatching(
      /operation cancelled: (actual cost|evaluation time) limit exceeded$/,
    ) as unknown as string,
  })
  expect(summarize(smallOutcome.outcome)).toMatchObject({
    kind: 'authenticated',
    user: { groups: ['g1'] },
  })
  expect(smallOutcome.elapsedMs).toBeLessThan(1000)
})
