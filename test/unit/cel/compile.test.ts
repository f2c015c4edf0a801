import { describe, expect, it } from '@jest/globals'
import {
  compileClaimsExpression,
  compileUserExpression,
  celTypeName,
} from '../../../src/cel/compile.js'

function staticType(expr: string, kind: 'claims' | 'user' = 'claims'): string {
  const r = kind === 'claims' ? compileClaimsExpression(expr) : compileUserExpression(expr)
  return r.ok ? r.compiled.staticType : `error: ${r.message}`
}

describe('static types', () => {
  it.each([
    { expr: 'claims.admin', want: 'any' },
    { expr: 'claims.admin == true', want: 'bool' },
    { expr: 'claims.sub', want: 'any' },
    { expr: '"oidc:" + claims.sub', want: 'string' },
    { expr: 'has(claims.hd)', want: 'bool' },
    { expr: 'dyn(claims.groups).map(g, "x:" + g)', want: 'list(string)' },
    { expr: '[dyn(claims.a), dyn("x")]', want: 'list(dyn)' },
    { expr: '[claims.a, claims.b]', want: 'list(any)' },
    { expr: 'claims.?email_verified.orValue(true) == true', want: 'bool' },
    { expr: '{"a": "b"}', want: 'map(string, string)' },
    { expr: 'url("https://x").getQuery()', want: 'map(string, list(string))' },
  ])('claims: $expr -> $want', ({ expr, want }) => {
    expect(staticType(expr)).toBe(want)
  })

  it.each([
    { expr: 'user.username', want: 'string' },
    { expr: 'user.groups', want: 'list(string)' },
    { expr: 'user.extra', want: 'map(string, list(string))' },
    { expr: 'user.username.startsWith("system:")', want: 'bool' },
  ])('user: $expr -> $want', ({ expr, want }) => {
    expect(staticType(expr, 'user')).toBe(want)
  })

  it.each([
    ['list<string>', 'list(string)'],
    ['map<string, list<string>>', 'map(string, list(string))'],
    ['list', 'list(dyn)'],
    ['optional<dyn>', 'optional_type(dyn)'],
    ['null', 'null_type'],
  ])('type name %s -> %s', (from, to) => {
    expect(celTypeName(from)).toBe(to)
  })
})

describe('compile errors', () => {
  it.each([
    {
      name: 'unknown user field',
      kind: 'user',
      expr: "user.foo == 'x'",
      want: "ERROR: <input>:1:5: undefined field 'foo'",
    },
    {
      name: 'claims not visible to user rules',
      kind: 'user',
      expr: 'claims.sub == "x"',
      want: "ERROR: <input>:1:1: undeclared reference to 'claims' (in container '')",
    },
    {
      name: 'user not visible to claim rules',
      kind: 'claims',
      expr: 'user.username == "x"',
      want: "ERROR: <input>:1:1: undeclared reference to 'user' (in container '')",
    },
    {
      name: 'syntax error',
      kind: 'claims',
      expr: 'claims.sub ==',
      want: 'ERROR: <input>:1:14: Syntax error: Unexpected token: EOF',
    },
    {
      name: 'reserved identifier as variable',
      kind: 'claims',
      expr: 'namespace == 1',
      want: 'ERROR: <input>:1:1: Syntax error: Reserved identifier: namespace',
    },
    {
      name: 'heterogeneous list literal',
      kind: 'claims',
      expr: '[1, "a"]',
      want: "ERROR: <input>:1:5: expected type 'int' but found 'string'",
    },
    {
      name: 'heterogeneous map values',
      kind: 'claims',
      expr: '{"a": 1, "b": "c"}',
      want: "ERROR: <input>:1:15: expected type 'int' but found 'string'",
    },
    {
      name: 'bad regex literal',
      kind: 'claims',
      expr: 'claims.sub.matches("(")',
      want: 'ERROR: <input>:1:20: invalid matches argument',
    },
    {
      name: 'bad duration literal',
      kind: 'claims',
      expr: 'duration("1x") > duration("1s")',
      want: 'ERROR: <input>:1:10: invalid duration argument',
    },
    {
      name: 'cel.bind is not available',
      kind: 'claims',
      expr: 'cel.bind(x, 1, x)',
      want: "ERROR: <input>:1:1: undeclared reference to 'cel'",
    },
    {
      name: 'internal names are not callable',
      kind: 'claims',
      expr: 'k8s_string(1)',
      want: "ERROR: <input>:1:1: undeclared reference to 'k8s_string'",
    },
    {
      name: 'strings reverse is not available',
      kind: 'claims',
      expr: '"abc".reverse()',
      want: "ERROR: <input>:1:14: found no matching overload for 'reverse' applied to 'string.()'",
    },
    { name: 'empty expression', kind: 'claims', expr: '  ', want: 'expression is empty' },
  ])('$name', ({ kind, expr, want }) => {
    const r = kind === 'claims' ? compileClaimsExpression(expr) : compileUserExpression(expr)
    expect(r).toEqual({ ok: false, message: want })
  })

  it('reserved words are fine as field names (cel-go checks identifiers only)', () => {
    expect(compileClaimsExpression('claims.namespace').ok).toBe(true)
  })
})

describe('email claim detection (validation.go hasSelectExp)', () => {
  it.each([
    { expr: 'claims.email', email: true, verified: false },
    { expr: 'claims.?email.orValue("")', email: true, verified: false },
    { expr: 'claims["email"]', email: false, verified: false },
    { expr: 'claims[?"email"].orValue("")', email: false, verified: false },
    { expr: '"x:" + claims.email.lowerAscii()', email: true, verified: false },
    { expr: '[claims.email][0]', email: true, verified: false },
    { expr: '{"k": claims.email}["k"]', email: true, verified: false },
    { expr: 'dyn(claims.groups).map(g, claims.email + g)', email: true, verified: false },
    { expr: 'has(claims.email) ? "a" : "b"', email: true, verified: false },
    { expr: 'claims.email_verified == true', email: false, verified: true },
    { expr: 'claims.?email_verified.orValue(true) == true', email: false, verified: true },
    { expr: 'claims["email_verified"] == true', email: false, verified: false },
    { expr: 'claims.email_verified ? claims.email : ""', email: true, verified: true },
    { expr: 'claims.nested.email', email: false, verified: false },
    { expr: 'claims.sub', email: false, verified: false },
  ])('$expr', ({ expr, email, verified }) => {
    const r = compileClaimsExpression(expr)
    if (!r.ok) throw new Error(r.message)
    expect([r.compiled.usesClaimsEmail, r.compiled.usesClaimsEmailVerified]).toEqual([
      email,
      verified,
    ])
  })
})
