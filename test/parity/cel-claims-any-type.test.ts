/**
 * Kubernetes declares the CEL variable `claims` as `map(string, any)` (`any` being
 * google.protobuf.Any) and `user` as the object `kubernetes.UserInfo`
 * (k8s.io/apiserver pkg/authentication/cel/compile.go `mustBuildEnvs`, v0.37.0-beta.0,
 * cel-go v0.27.0). Each row is an expression and kube-apiserver's outcome, derived from
 * cel-go's checker (checker/checker.go `checkComprehension`, `joinTypes`,
 * `resolveOverload`; checker/types.go `isDyn`, `internalIsAssignable`) and its
 * homogeneous aggregate literal validator (cel/validator.go), at the offsets its parser
 * records (the `.`, `[` or `?` of an operation, the `(` of a call). Every refused row
 * compiled before the webhook modelled `any`.
 */
import { describe, expect, it } from '@jest/globals'
import { compileClaimsExpression, compileUserExpression } from '../../src/cel/compile.js'

const NOT_A_RANGE =
  "expression of type 'any' cannot be range of a comprehension (must be list, map, or dynamic)"

function outcome(
  result: ReturnType<typeof compileClaimsExpression | typeof compileUserExpression>,
) {
  return result.ok ? `accepted: ${result.compiled.staticType}` : result.message
}

describe('claims: map(string, any)', () => {
  it.each([
    // `any` is not a comprehension range (checkComprehension), `dyn` is.
    ["claims.groups.filter(g, g.startsWith('a'))", `ERROR: <input>:1:7: ${NOT_A_RANGE}`],
    ['claims.roles.map(r, r.name)', `ERROR: <input>:1:7: ${NOT_A_RANGE}`],
    ["claims['groups'].exists(g, g == 'a')", `ERROR: <input>:1:7: ${NOT_A_RANGE}`],
    ['claims.groups.all(g, g != "")', `ERROR: <input>:1:7: ${NOT_A_RANGE}`],
    ['claims.groups.exists_one(g, g == "a")', `ERROR: <input>:1:7: ${NOT_A_RANGE}`],
    ['claims.groups.transformList(i, g, g)', `ERROR: <input>:1:7: ${NOT_A_RANGE}`],
    // ext/lists.go binds the target to a variable placed at the `(` of sortBy.
    ['claims.groups.sortBy(g, g)', `ERROR: <input>:1:21: ${NOT_A_RANGE}`],
    ['claims.?groups.orValue([]).map(g, g)', `ERROR: <input>:1:23: ${NOT_A_RANGE}`],
    ['[claims.groups][0].map(g, g)', `ERROR: <input>:1:16: ${NOT_A_RANGE}`],
    ['claims.exists(k, v, v.exists(x, true))', `ERROR: <input>:1:21: ${NOT_A_RANGE}`],
    ['optional.of(claims.a).optMap(x, x.map(y, y))', `ERROR: <input>:1:33: ${NOT_A_RANGE}`],
    // The homogeneous literal validator compares types by equivalence: `any` and `dyn`
    // match only themselves.
    [
      "[claims.groups, ['x']].flatten()",
      "ERROR: <input>:1:17: expected type 'any' but found 'list(string)'",
    ],
    ["[claims.a, 'x']", "ERROR: <input>:1:12: expected type 'any' but found 'string'"],
    ["['x', claims.a]", "ERROR: <input>:1:13: expected type 'string' but found 'any'"],
    ["{'a': claims.a, 'b': 1}", "ERROR: <input>:1:22: expected type 'any' but found 'int'"],
    ['[claims.a, dyn(1)]', "ERROR: <input>:1:15: expected type 'any' but found 'dyn'"],
    ["[dyn(1), 'x']", "ERROR: <input>:1:10: expected type 'dyn' but found 'string'"],
    // A selection on `any` is `dyn`; an index is a free type parameter, and `dyn` when
    // several `_[_]` overloads apply.
    ["[claims.a.b, 'x']", "ERROR: <input>:1:14: expected type 'dyn' but found 'string'"],
    ["[claims.a['b'], claims.c]", "ERROR: <input>:1:23: expected type 'dyn' but found 'any'"],
    // What kube accepts, with its static type.
    ['dyn(claims.groups).map(g, g)', 'accepted: list(dyn)'],
    ['dyn(claims.roles).map(r, r.name)', 'accepted: list(dyn)'],
    ['claims.realm_access.roles.map(r, r)', 'accepted: list(dyn)'],
    ['[claims.a, claims.b]', 'accepted: list(any)'],
    ['claims.map(k, k)', 'accepted: list(string)'],
    ['claims.transformMap(k, v, v)', 'accepted: map(string, any)'],
    ['claims.sub', 'accepted: any'],
    ["claims.sub + ':x'", 'accepted: string'],
    ["'admin' in claims.groups", 'accepted: bool'],
    ["claims.groups.join(',')", 'accepted: string'],
    ['claims.?groups.orValue([])', 'accepted: any'],
    ['claims.groups.orValue([])', 'accepted: list(dyn)'],
    ['claims.groups[0]', 'accepted: dyn'],
    // The conditional's type parameter keeps the more general branch, the first on a tie.
    ['true ? claims.a : dyn(1)', 'accepted: dyn'],
    ['true ? dyn(1) : claims.a', 'accepted: any'],
    ['claims[?"kubernetes.io"]["node"]["ip"].orValue(true)', 'accepted: bool'],
    ['"%s".format([claims.a, 1])', 'accepted: string'],
    // Type identifiers and `type(x)` are `type(T)`.
    ['[int, string]', "ERROR: <input>:1:7: expected type 'type(int)' but found 'type(string)'"],
    [
      "[type(1), type('a')]",
      "ERROR: <input>:1:15: expected type 'type(int)' but found 'type(string)'",
    ],
    ['[type(1), int]', 'accepted: list(type(int))'],
  ])('%s', (expression, want) => {
    expect(outcome(compileClaimsExpression(expression))).toBe(want)
  })
})

describe('user: kubernetes.UserInfo, with typed fields', () => {
  it.each([
    ["user.groups.all(g, g.startsWith('x'))", 'accepted: bool'],
    ["user.extra.exists(k, k == 'x')", 'accepted: bool'],
    ["user.extra['k'].map(v, v + '!')", 'accepted: list(string)'],
    ['user.username', 'accepted: string'],
    ["[user.username, 'x']", 'accepted: list(string)'],
    [
      '[user.groups, user.username]',
      "ERROR: <input>:1:19: expected type 'list(string)' but found 'string'",
    ],
    ['user.foo', "ERROR: <input>:1:5: undefined field 'foo'"],
    ['claims.sub', "ERROR: <input>:1:1: undeclared reference to 'claims' (in container '')"],
  ])('%s', (expression, want) => {
    expect(outcome(compileUserExpression(expression))).toBe(want)
  })

  it('user is not declared for claim expressions', () => {
    expect(outcome(compileClaimsExpression('user.username'))).toBe(
      "ERROR: <input>:1:1: undeclared reference to 'user' (in container '')",
    )
  })
})
