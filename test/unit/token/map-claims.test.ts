/**
 * Username, groups, uid and extra from the verified claims, by claim or CEL
 * expression, with kube-apiserver's exact messages.
 */
import { describe, expect, it } from '@jest/globals'
import { byClaim, rejected, run, SUB, user, type Case } from './claims-cases.js'

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
