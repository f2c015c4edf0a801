import { describe, expect, it } from '@jest/globals'
import { evalClaims, evalUser } from './helpers.js'

const claims = {
  sub: 'u-1',
  iss: 'https://issuer.example',
  exp: 1700000000,
  n: 123456789,
  big: 1000000,
  half: 1.5,
  admin: true,
  roles: 'a,,b',
  groups: ['dev', 'ops'],
  email: 'Jane@Example.com',
  'kubernetes.io': { namespace: 'team-a', 'a.b': 'nested-dot', my__tag__id: 'nested-literal' },
  namespace: 'top-ns',
  'my-claim': 'dash',
  'a/b': 'slash',
  x__y: 'underscores',
  my__tag__id: 'unreachable',
  nested: { deeper: { value: 7 } },
  _claim_names: { groups: 'src1' },
}

describe('claims evaluation', () => {
  it.each([
    // numbers are doubles (1.34+)
    { name: 'string of a large double uses %g', expr: 'string(claims.n)', want: '1.23456789e+08' },
    { name: 'string of 1e6 uses %g', expr: 'string(claims.big)', want: '1e+06' },
    { name: 'string of 1.5', expr: 'string(claims.half)', want: '1.5' },
    { name: 'int() then string()', expr: 'string(int(claims.n))', want: '123456789' },
    { name: 'double compared to int literal', expr: 'claims.exp > 0', want: true },
    { name: 'double equals int literal', expr: 'claims.n == 123456789', want: true },
    { name: 'double minus double', expr: 'claims.exp - claims.exp', want: 0 },
    { name: 'claim number result is a JS number', expr: 'claims.n', want: 123456789 },
    { name: 'int literal result is a bigint', expr: '1 + 2', want: 3n },
    // escapes
    {
      name: '__dot__ reads a dotted claim',
      expr: 'claims.kubernetes__dot__io.namespace',
      want: 'team-a',
    },
    { name: 'escaped reserved word', expr: 'claims.__namespace__', want: 'top-ns' },
    { name: 'index with a reserved word', expr: 'claims["namespace"]', want: 'top-ns' },
    { name: '__dash__', expr: 'claims.my__dash__claim', want: 'dash' },
    { name: '__slash__', expr: 'claims.a__slash__b', want: 'slash' },
    { name: '__underscores__', expr: 'claims.x__underscores__y', want: 'underscores' },
    {
      name: 'escape in index syntax',
      expr: 'claims["kubernetes__dot__io"]["a__dot__b"]',
      want: 'nested-dot',
    },
    {
      name: 'plain index of a dotted claim',
      expr: 'claims["kubernetes.io"].namespace',
      want: 'team-a',
    },
    {
      name: 'invalid escape nested is literal',
      expr: 'claims.kubernetes__dot__io.my__tag__id',
      want: 'nested-literal',
    },
    {
      name: 'invalid escape at top level is unreachable',
      expr: 'claims.my__tag__id',
      want: { error: 'no such key: my__tag__id', name: 'CelEvaluationError' },
    },
    { name: 'has() with an escape', expr: 'has(claims.kubernetes__dot__io)', want: true },
    {
      name: 'optional index with an escape',
      expr: 'claims[?"kubernetes__dot__io"].hasValue()',
      want: true,
    },
    {
      name: 'underscore claims are ordinary claims',
      expr: 'claims._claim_names.groups',
      want: 'src1',
    },
    // missing keys and optionals
    {
      name: 'missing key is an error',
      expr: 'claims.hd == "x"',
      want: { error: 'no such key: hd', name: 'CelEvaluationError' },
    },
    { name: 'optional with default', expr: 'claims.?hd.orValue("") == "x"', want: false },
    { name: 'optional present', expr: 'claims.?sub.orValue("")', want: 'u-1' },
    {
      name: 'optional chain through nested',
      expr: 'claims.?nested.?deeper.?value.orValue(0.0)',
      want: 7,
    },
    { name: 'has() missing', expr: 'has(claims.hd)', want: false },
    { name: 'has() present', expr: 'has(claims.email)', want: true },
    {
      name: 'in on claims: the lazy claims map has no container trait',
      expr: '"sub" in claims',
      want: { error: 'no such overload', name: 'CelEvaluationError' },
    },
    // strings
    {
      name: 'split then map drops nothing by itself',
      expr: 'claims.roles.split(",")',
      want: ['a', '', 'b'],
    },
    {
      name: 'split + filter',
      expr: 'claims.roles.split(",").filter(r, r != "")',
      want: ['a', 'b'],
    },
    { name: 'lowerAscii', expr: 'claims.email.lowerAscii()', want: 'jane@example.com' },
    { name: 'join', expr: 'claims.groups.join("|")', want: 'dev|ops' },
    { name: 'prefix concat', expr: '"oidc:" + claims.sub', want: 'oidc:u-1' },
    {
      name: 'map over groups',
      expr: 'dyn(claims.groups).map(g, "g:" + g)',
      want: ['g:dev', 'g:ops'],
    },
    {
      name: 'nested map result becomes a plain object',
      expr: 'claims.kubernetes__dot__io',
      want: { namespace: 'team-a', 'a.b': 'nested-dot', my__tag__id: 'nested-literal' },
    },
    { name: 'map literal becomes a plain object', expr: '{"a": claims.sub}', want: { a: 'u-1' } },
    {
      name: 'list literal of dyn elements',
      expr: '[dyn(claims.sub), dyn("x")]',
      want: ['u-1', 'x'],
    },
    {
      name: 'sets.equivalent ignores order',
      expr: 'sets.equivalent(claims.groups, ["ops", "dev"])',
      want: true,
    },
    { name: 'url getHost', expr: 'url(claims.iss).getHost()', want: 'issuer.example' },
    {
      name: 'double + int is an error',
      expr: 'claims.exp + 60',
      want: { error: 'no such overload', name: 'CelEvaluationError' },
    },
    {
      name: 'double + int inside a comparison is an error',
      expr: 'claims.exp + 60 > 0',
      want: { error: 'no such overload', name: 'CelEvaluationError' },
    },
    {
      name: 'list index out of range',
      expr: 'claims.groups[5]',
      want: {
        error: 'index out of bounds: 5',
        name: 'CelEvaluationError',
      },
    },
    {
      name: 'bool() error does not echo the claim',
      expr: 'bool(claims.sub)',
      want: { error: "type conversion error from 'string' to 'bool'", name: 'CelEvaluationError' },
    },
  ])('$name', ({ expr, want }) => {
    expect(evalClaims(expr, claims)).toEqual(want)
  })
})

describe('user evaluation', () => {
  const user = {
    username: 'jane',
    uid: '42',
    groups: ['dev'],
    extra: { 'example.org/tenant': ['t1'] },
  }
  it.each([
    { name: 'username', expr: 'user.username', u: user, want: 'jane' },
    { name: 'groups', expr: '"dev" in user.groups', u: user, want: true },
    {
      name: 'extra with escapes',
      expr: 'user.extra.example__dot__org__slash__tenant[0]',
      u: user,
      want: 't1',
    },
    { name: 'extra by index', expr: 'user.extra["example.org/tenant"]', u: user, want: ['t1'] },
    {
      name: 'unset groups are an empty list',
      expr: 'size(user.groups)',
      u: { username: 'x', uid: '' },
      want: 0n,
    },
    {
      name: 'unset extra is an empty map',
      expr: 'user.extra',
      u: { username: 'x', uid: '' },
      want: {},
    },
    {
      name: 'missing extra key',
      expr: 'user.extra.foo',
      u: user,
      want: { error: 'no such key: foo', name: 'CelEvaluationError' },
    },
  ])('$name', ({ expr, u, want }) => {
    expect(evalUser(expr, u)).toEqual(want)
  })
})
