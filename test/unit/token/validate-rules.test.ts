/**
 * Claim validation rules (required claims, then CEL) and user validation rules
 * on the mapped user, with kube-apiserver's exact messages.
 */
import { describe, expect, it } from '@jest/globals'
import { byClaim, rejected, run, SUB, user, type Case } from './claims-cases.js'

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
