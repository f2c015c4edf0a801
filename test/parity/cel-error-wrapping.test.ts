/**
 * cel-go's runtime error texts as a token review shows them: wrapped first by
 * k8s.io/apiserver/pkg/authentication/cel/mapper.go (`expression '<e>' resulted in
 * error: <cel-go error>`), then by plugin/pkg/authenticator/token/oidc/oidc.go
 * (`oidc: error evaluating username claim expression: ...` and its siblings; the extra
 * mappings' evaluation error is returned unwrapped). Real signed tokens through the
 * whole authenticator.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { VALID_EXP_S } from '../helpers/fixed-clock.js'
import { staticTestIssuer, type StaticTestIssuer } from '../helpers/issuer.js'
import type { Json } from '../helpers/tokens.js'
import {
  authenticatorFor,
  entryFor,
  summarize,
  type JwtEntry,
} from '../unit/token/authenticator-helpers.js'

let issuer: StaticTestIssuer
beforeAll(() => {
  issuer = staticTestIssuer()
})
afterAll(async () => {
  await issuer.stop()
})

const CLAIMS = { s: 'abc', n: 3, l: ['a', 'b'], ts: '2024-01-02T03:04:05Z' }

interface Row {
  name: string
  patch: JwtEntry
  reason: string
  message: string
}

const username = (expression: string): JwtEntry => ({ claimMappings: { username: { expression } } })
const mapping = (extra: Json): JwtEntry => ({
  claimMappings: { username: { expression: 'claims.sub' }, ...(extra as object) },
})

const ROWS: Row[] = [
  {
    name: 'username: an operand of the wrong type',
    patch: username('string(claims.s + 1.0)'),
    reason: 'username_mapping_failed',
    message:
      "oidc: error evaluating username claim expression: expression 'string(claims.s + 1.0)' resulted in error: no such overload",
  },
  {
    name: 'username: a conversion',
    patch: username('string(int(claims.s))'),
    reason: 'username_mapping_failed',
    message:
      "oidc: error evaluating username claim expression: expression 'string(int(claims.s))' resulted in error: type conversion error from 'string' to 'int'",
  },
  {
    name: 'username: string(timestamp) as Go formats it',
    patch: username("string(timestamp(claims.ts) + duration('0.5s'))"),
    reason: '',
    message: '2024-01-02T03:04:05.5Z',
  },
  {
    name: 'groups: a non-iterable',
    patch: mapping({ groups: { expression: 'dyn(claims.s).map(g, g)' } }),
    reason: 'groups_mapping_failed',
    message:
      "oidc: error evaluating group claim expression: expression 'dyn(claims.s).map(g, g)' resulted in error: got 'types.String', expected iterable type",
  },
  {
    name: 'uid: sort of a non-list',
    patch: mapping({ uid: { expression: 'claims.s.sort()[0]' } }),
    reason: 'uid_mapping_failed',
    message:
      "oidc: error evaluating uid claim expression: expression 'claims.s.sort()[0]' resulted in error: no such overload: sort",
  },
  {
    name: 'extra: the evaluation error is not wrapped by oidc.go',
    patch: mapping({ extra: [{ key: 'example.com/x', valueExpression: 'claims.l[5]' }] }),
    reason: 'extra_mapping_failed',
    message: "expression 'claims.l[5]' resulted in error: index out of bounds: 5",
  },
  {
    name: 'claim validation rule: division by zero',
    patch: {
      ...mapping({}),
      claimValidationRules: [{ expression: 'int(claims.n) / 0 == 1', message: 'm' }],
    },
    reason: 'claim_rule_failed',
    message:
      "oidc: error evaluating claim validation expression: expression 'int(claims.n) / 0 == 1' resulted in error: division by zero",
  },
  {
    name: 'user validation rule: a missing key',
    patch: {
      claimMappings: { username: { claim: 'sub', prefix: '' } },
      userValidationRules: [{ expression: "user.extra['x'][0] == 'y'", message: 'm' }],
    },
    reason: 'user_rule_failed',
    message:
      "oidc: error evaluating user info validation rule: expression 'user.extra['x'][0] == 'y'' resulted in error: no such key: x",
  },
]

describe('runtime errors in a token review', () => {
  it.each(ROWS.map((row): [string, Row] => [row.name, row]))('%s', async (_name, row) => {
    const auth = await authenticatorFor([entryFor(issuer, row.patch)], {
      keySetFor: (i) => issuer.keySetFor(i),
    })
    try {
      const token = issuer.sign({
        iss: issuer.url,
        aud: 'my-client',
        exp: VALID_EXP_S,
        sub: 'u-1',
        ...CLAIMS,
      })
      const outcome = summarize(await auth.authenticate(token)) as Record<string, unknown>
      if (row.reason === '') {
        expect(outcome).toMatchObject({ kind: 'authenticated', user: { username: row.message } })
      } else {
        expect(outcome).toEqual({ kind: 'rejected', reason: row.reason, message: row.message })
      }
    } finally {
      await auth.close()
    }
  })
})
