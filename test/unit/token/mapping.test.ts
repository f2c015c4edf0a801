/**
 * Username, groups, uid, extra, claim rules and user rules after verification,
 * with static keys, exact messages.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { staticTestIssuer, type StaticTestIssuer } from '../../helpers/issuer.js'
import { VALID_EXP_S } from '../../helpers/fixed-clock.js'
import type { Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor, summarize, type JwtEntry } from './authenticator-helpers.js'

let issuer: StaticTestIssuer
beforeAll(async () => {
  issuer = staticTestIssuer({ algorithms: ['RS256'] })
})
afterAll(async () => {
  await issuer.stop()
})

interface Case {
  name: string
  mappings?: Json
  rules?: Json[]
  userRules?: Json[]
  claims?: Json
  want: unknown
}

async function run(c: Case): Promise<unknown> {
  const patch: JwtEntry = {}
  if (c.mappings !== undefined) patch.claimMappings = c.mappings
  if (c.rules !== undefined) patch.claimValidationRules = c.rules
  if (c.userRules !== undefined) patch.userValidationRules = c.userRules
  const auth = await authenticatorFor([entryFor(issuer, patch)], {
    keySetFor: (i) => issuer.keySetFor(i),
  })
  try {
    const claims: Json = {
      iss: issuer.url,
      aud: 'my-client',
      exp: VALID_EXP_S,
      sub: 'u-1',
      ...c.claims,
    }
    return summarize(await auth.authenticate(issuer.sign(claims)))
  } finally {
    await auth.close()
  }
}

const user = (
  username: string,
  more: Partial<{ uid: string; groups: string[]; extra: Record<string, string[]> }> = {},
) => ({
  kind: 'authenticated',
  user: { username, uid: more.uid ?? '', groups: more.groups ?? [], extra: more.extra ?? {} },
})
const rejected = (reason: string, message: string) => ({ kind: 'rejected', reason, message })
const byClaim = (claim: string, prefix = '') => ({ username: { claim, prefix } })
const SUB = byClaim('sub')

describe('username', () => {
  const cases: Case[] = [
    { name: 'claim with prefix', mappings: byClaim('sub', 'oidc:'), want: user('oidc:u-1') },
    {
      name: 'email with email_verified true',
      mappings: byClaim('email'),
      claims: { email: 'j@x.io', email_verified: true },
      want: user('j@x.io'),
    },
    {
      name: 'email with email_verified false',
      mappings: byClaim('email'),
      claims: { email: 'j@x.io', email_verified: false },
      want: rejected('email_not_verified', 'oidc: email not verified'),
    },
    {
      name: 'email with email_verified "true" (string)',
      mappings: byClaim('email'),
      claims: { email: 'j@x.io', email_verified: 'true' },
      want: rejected(
        'email_not_verified',
        "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
      ),
    },
    {
      name: 'email with email_verified absent',
      mappings: byClaim('email'),
      claims: { email: 'j@x.io' },
      want: user('j@x.io'),
    },
    {
      name: 'email with email_verified null (Go false)',
      mappings: byClaim('email'),
      claims: { email: 'j@x.io', email_verified: null },
      want: rejected('email_not_verified', 'oidc: email not verified'),
    },
    {
      name: 'sub with email_verified false is not checked',
      mappings: SUB,
      claims: { email_verified: false },
      want: user('u-1'),
    },
    {
      name: 'empty username claim is allowed',
      mappings: byClaim('name'),
      claims: { name: '' },
      want: user(''),
    },
    {
      name: 'username claim missing',
      mappings: byClaim('name'),
      want: rejected(
        'username_mapping_failed',
        'oidc: parse username claims "name": claim not present',
      ),
    },
    {
      name: 'username claim numeric',
      mappings: byClaim('name'),
      claims: { name: 7 },
      want: rejected(
        'username_mapping_failed',
        'oidc: parse username claims "name": json: cannot unmarshal number into Go value of type string',
      ),
    },
    {
      name: 'username expression',
      mappings: { username: { expression: '"x:" + claims.sub' } },
      want: user('x:u-1'),
    },
    {
      name: 'empty username via expression is rejected',
      mappings: { username: { expression: 'claims.?name.orValue("")' } },
      want: rejected(
        'username_mapping_failed',
        'oidc: empty username via CEL expression is not allowed',
      ),
    },
    {
      name: 'username expression not a string',
      mappings: { username: { expression: 'claims.exp' } },
      want: rejected(
        'username_mapping_failed',
        'oidc: error evaluating username claim expression: username claim expression must return a string',
      ),
    },
    {
      name: 'username expression on a missing claim',
      mappings: { username: { expression: 'claims.name' } },
      want: rejected(
        'username_mapping_failed',
        "oidc: error evaluating username claim expression: expression 'claims.name' resulted in error: no such key: name",
      ),
    },
  ]
  it.each(cases)('$name', async (c) => expect(await run(c)).toEqual(c.want))
})

describe('groups', () => {
  const g = (prefix = 'g:') => ({ ...SUB, groups: { claim: 'groups', prefix } })
  const ge = (expression: string) => ({ ...SUB, groups: { expression } })
  const cases: Case[] = [
    { name: 'absent claim gives no groups', mappings: g(), want: user('u-1') },
    {
      name: 'string claim gives one group',
      mappings: g(),
      claims: { groups: 'admins' },
      want: user('u-1', { groups: ['g:admins'] }),
    },
    {
      name: 'array claim is prefixed, empty strings kept',
      mappings: g(),
      claims: { groups: ['a', '', 'b'] },
      want: user('u-1', { groups: ['g:a', 'g:', 'g:b'] }),
    },
    {
      name: 'null claim gives no groups',
      mappings: g(),
      claims: { groups: null },
      want: user('u-1'),
    },
    {
      name: 'number claim is rejected',
      mappings: g(),
      claims: { groups: 5 },
      want: rejected(
        'groups_mapping_failed',
        'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string',
      ),
    },
    {
      name: 'array of numbers is rejected',
      mappings: g(),
      claims: { groups: [1] },
      want: rejected(
        'groups_mapping_failed',
        'oidc: parse groups claim "groups": json: cannot unmarshal array into Go value of type string',
      ),
    },
    {
      name: 'prefix-only groups mapping is ignored',
      mappings: { ...SUB, groups: { prefix: 'x' } },
      claims: { groups: ['a'] },
      want: user('u-1'),
    },
    {
      name: 'expression split+map drops empty strings',
      mappings: ge('claims.roles.split(",").map(r, r)'),
      claims: { roles: 'a,,b' },
      want: user('u-1', { groups: ['a', 'b'] }),
    },
    {
      name: 'bare split is refused like oidc.go (native []string)',
      mappings: ge('claims.roles.split(",")'),
      claims: { roles: 'a,b' },
      want: rejected(
        'groups_mapping_failed',
        'oidc: error evaluating group claim expression: expression must return a string or a list of strings',
      ),
    },
    { name: 'expression returning "" gives no groups', mappings: ge('""'), want: user('u-1') },
    {
      name: 'expression returning [] gives no groups',
      mappings: ge('claims.?none.orValue([])'),
      want: user('u-1'),
    },
    { name: 'expression returning null gives no groups', mappings: ge('null'), want: user('u-1') },
    {
      name: 'expression returning a number is rejected',
      mappings: ge('claims.exp'),
      want: rejected(
        'groups_mapping_failed',
        'oidc: error evaluating group claim expression: expression must return a string or a list of strings',
      ),
    },
    {
      name: 'expression list with a number is rejected',
      mappings: ge('claims.mixed'),
      claims: { mixed: ['a', 1] },
      want: rejected(
        'groups_mapping_failed',
        'oidc: error evaluating group claim expression: expression must return a string or a list of strings',
      ),
    },
  ]
  it.each(cases)('$name', async (c) => expect(await run(c)).toEqual(c.want))
})

describe('uid and extra', () => {
  const CRED = 'authentication.kubernetes.io/credential-id'
  const extra = (...items: Array<[string, string]>) => ({
    ...SUB,
    extra: items.map(([key, valueExpression]) => ({ key, valueExpression })),
  })
  const cases: Case[] = [
    {
      name: 'uid claim',
      mappings: { ...SUB, uid: { claim: 'oid' } },
      claims: { oid: 'o-9' },
      want: user('u-1', { uid: 'o-9' }),
    },
    {
      name: 'uid claim missing',
      mappings: { ...SUB, uid: { claim: 'oid' } },
      want: rejected('uid_mapping_failed', 'oidc: parse uid claim "oid": claim not present'),
    },
    {
      name: 'uid expression may be empty',
      mappings: { ...SUB, uid: { expression: '""' } },
      want: user('u-1'),
    },
    {
      name: 'uid expression not a string',
      mappings: { ...SUB, uid: { expression: 'claims.exp' } },
      want: rejected(
        'uid_mapping_failed',
        'oidc: error evaluating uid claim expression: uid claim expression must return a string',
      ),
    },
    {
      name: 'extra returning "" is omitted',
      mappings: extra(['example.org/a', '""']),
      want: user('u-1'),
    },
    {
      name: 'extra list drops empty strings',
      mappings: extra(['example.org/a', '["x", "", "y"]']),
      want: user('u-1', { extra: { 'example.org/a': ['x', 'y'] } }),
    },
    {
      name: 'extra number is rejected',
      mappings: extra(['example.org/a', 'claims.exp']),
      want: rejected(
        'extra_mapping_failed',
        'oidc: error evaluating extra claim expression: claims.exp: expression must return a string or a list of strings',
      ),
    },
    {
      name: 'extra evaluation error has no oidc prefix',
      mappings: extra(['example.org/a', 'claims.nope']),
      want: rejected(
        'extra_mapping_failed',
        "expression 'claims.nope' resulted in error: no such key: nope",
      ),
    },
    {
      name: 'an evaluation error in a later extra wins over a type error in an earlier one',
      mappings: extra(['example.org/a', 'claims.exp'], ['example.org/b', 'claims.nope']),
      want: rejected(
        'extra_mapping_failed',
        "expression 'claims.nope' resulted in error: no such key: nope",
      ),
    },
    {
      name: 'jti adds the credential id',
      mappings: SUB,
      claims: { jti: 'abc' },
      want: user('u-1', { extra: { [CRED]: ['JTI=abc'] } }),
    },
    { name: 'numeric jti adds nothing', mappings: SUB, claims: { jti: 5 }, want: user('u-1') },
    { name: 'empty jti adds nothing', mappings: SUB, claims: { jti: '' }, want: user('u-1') },
  ]
  it.each(cases)('$name', async (c) => expect(await run(c)).toEqual(c.want))
})

describe('claim validation rules', () => {
  const hd = [{ claim: 'hd', requiredValue: 'example.com' }]
  const cases: Case[] = [
    {
      name: 'required claim present and equal',
      mappings: SUB,
      rules: hd,
      claims: { hd: 'example.com' },
      want: user('u-1'),
    },
    {
      name: 'required claim missing',
      mappings: SUB,
      rules: hd,
      want: rejected('claim_rule_failed', 'oidc: required claim hd not present in ID token'),
    },
    {
      name: 'required claim different',
      mappings: SUB,
      rules: hd,
      claims: { hd: 'evil.com' },
      want: rejected(
        'claim_rule_failed',
        'oidc: required claim hd value does not match. Got = evil.com, want = example.com',
      ),
    },
    {
      name: 'required claim numeric',
      mappings: SUB,
      rules: hd,
      claims: { hd: 1 },
      want: rejected(
        'claim_rule_failed',
        'oidc: parse claim hd: json: cannot unmarshal number into Go value of type string',
      ),
    },
    {
      name: 'claim without requiredValue requires ""',
      mappings: SUB,
      rules: [{ claim: 'x' }],
      claims: { x: 'y' },
      want: rejected(
        'claim_rule_failed',
        'oidc: required claim x value does not match. Got = y, want = ',
      ),
    },
    {
      name: 'claim without requiredValue accepts ""',
      mappings: SUB,
      rules: [{ claim: 'x' }],
      claims: { x: '' },
      want: user('u-1'),
    },
    {
      name: 'CEL rule on a missing claim is an evaluation error',
      mappings: SUB,
      rules: [{ expression: 'claims.hd == "x"' }],
      want: rejected(
        'claim_rule_failed',
        'oidc: error evaluating claim validation expression: expression \'claims.hd == "x"\' resulted in error: no such key: hd',
      ),
    },
    {
      name: 'CEL rule false gives its message',
      mappings: SUB,
      rules: [{ expression: 'claims.?hd.orValue("") == "x"', message: 'wrong tenant' }],
      want: rejected(
        'claim_rule_failed',
        'oidc: error evaluating claim validation expression: validation expression \'claims.?hd.orValue("") == "x"\' failed: wrong tenant',
      ),
    },
    {
      name: 'claim rules run before CEL rules regardless of order',
      mappings: SUB,
      rules: [
        { expression: 'false', message: 'cel' },
        { claim: 'hd', requiredValue: 'a' },
      ],
      want: rejected('claim_rule_failed', 'oidc: required claim hd not present in ID token'),
    },
    {
      name: 'mapping errors come before rule failures',
      mappings: byClaim('name'),
      rules: hd,
      want: rejected(
        'username_mapping_failed',
        'oidc: parse username claims "name": claim not present',
      ),
    },
  ]
  it.each(cases)('$name', async (c) => expect(await run(c)).toEqual(c.want))
})

describe('user validation rules', () => {
  const cases: Case[] = [
    {
      name: 'user rules see final groups and extra, without system:authenticated',
      mappings: { ...SUB, groups: { claim: 'groups', prefix: 'g:' } },
      claims: { groups: ['a'], jti: 'j' },
      userRules: [
        {
          expression:
            'user.groups == ["g:a"] && !("system:authenticated" in user.groups) && user.extra["authentication.kubernetes.io/credential-id"] == ["JTI=j"]',
          message: 'unexpected',
        },
      ],
      want: user('u-1', {
        groups: ['g:a'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=j'] },
      }),
    },
    {
      name: 'failing user rule gives its message',
      mappings: byClaim('sub', 'system:'),
      userRules: [
        { expression: "!user.username.startsWith('system:')", message: 'reserved prefix' },
      ],
      want: rejected(
        'user_rule_failed',
        "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('system:')' failed: reserved prefix",
      ),
    },
  ]
  it.each(cases)('$name', async (c) => expect(await run(c)).toEqual(c.want))
})
