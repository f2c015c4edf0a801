/**
 * The check that lets the authenticator skip arming a deadline: it must be
 * false exactly when expansion returns the claims untouched without using its
 * context, and true whenever expansion could fetch.
 */
import { describe, expect, it } from '@jest/globals'
import {
  expandDistributedClaims,
  mayHaveDistributedClaim,
  type DistributedClaimsContext,
} from '../../../src/token/distributed-claims.js'

/** A context whose every use fails the test: expansion must not touch it when the check is false. */
const untouchable = new Proxy({} as DistributedClaimsContext, {
  get(_target, name) {
    throw new Error(`context read: ${String(name)}`)
  },
})

const cases: [string, Record<string, unknown>, boolean][] = [
  ['groups present', { groups: ['a'] }, false],
  [
    'groups present, distributed too (the normal claim wins)',
    { groups: [], _claim_names: { groups: 'src1' } },
    false,
  ],
  ['groups null but present', { groups: null, _claim_names: { groups: 'src1' } }, false],
  ['no groups, no _claim_names', { sub: 'x' }, false],
  ['no groups, _claim_names present', { _claim_names: { groups: 'src1' } }, true],
  ['no groups, _claim_names null', { _claim_names: null }, true],
  [
    '_claim_names inherited, not own',
    Object.create({ _claim_names: { groups: 's' } }) as Record<string, unknown>,
    false,
  ],
]

describe('mayHaveDistributedClaim', () => {
  it.each(cases)('%s', async (_name, claims, want) => {
    expect(mayHaveDistributedClaim('groups', claims)).toBe(want)
    if (!want)
      await expect(expandDistributedClaims('groups', claims, untouchable)).resolves.toBe(claims)
  })
})
