/**
 * Iterating over `claims` itself, as Kubernetes' lazy claims map does
 * (k8s.io/apiserver pkg/cel/lazy/lazy.go at v0.37.0-beta.0): its iterator's `Next`
 * returns `Get(name)` for each claim name, so a comprehension over `claims` sees the
 * claim values, not the names; `Get` un-escapes the name first, so a name holding an
 * escape sequence is `no such key: <name>`. A two-variable comprehension looks each
 * yielded value up again (cel-go common/types/map.go `interopFoldableMap.Fold`). The map
 * supports neither `in` nor `size()`. Each row is an expression, a token's claims and
 * kube's result.
 */
import { describe, expect, it } from '@jest/globals'
import { evalClaims } from '../unit/cel/helpers.js'

const token = { sub: 'u-1', jti: 'j-1', groups: ['dev'] }

describe('a comprehension over claims ranges over the claim values', () => {
  it.each([
    ["claims.exists(k, k == 'jti')", token, false],
    ["claims.exists(k, k == 'j-1')", token, true],
    ["claims.all(k, k != 'sub')", token, true],
    ["claims.filter(v, v != 'u-1')", token, ['j-1', ['dev']]],
    ["claims.map(v, v == 'u-1')", token, [true, false, false]],
    ["claims.exists_one(v, v == 'u-1')", token, true],
    // Lookups are not affected.
    ["has(claims.jti) && claims[?'jti'].hasValue() && claims['jti'] == 'j-1'", token, true],
  ])('%s', (expression, claims, want) => {
    expect(evalClaims(expression, claims)).toEqual(want)
  })

  it.each([
    // A name with an escape sequence cannot be looked up by its own name.
    ['claims.map(v, v)', { sub: 'u-1', my__tag__id: 'x' }, 'no such key: my__tag__id'],
    ['claims.map(v, v)', { sub: 'u-1', a__dot__b: 'x' }, 'no such key: a__dot__b'],
    // Two variables: the second is the first looked up as a claim name.
    ['claims.all(k, v, true)', { sub: 'u-1' }, 'no such key: u-1'],
    ['claims.all(k, v, true)', { n: 1 }, 'no such overload'],
  ])('%s with %j fails: %s', (expression, claims, error) => {
    expect(evalClaims(expression, claims)).toEqual({ error, name: 'CelEvaluationError' })
  })

  // The lazy map has the indexer, field-tester and iterable traits only
  // (lazy.go NewMapValue): no container trait for `in` (stdlib inAggregate), no sizer
  // for `size` (evalUnary's trait check).
  it.each([
    ["'jti' in claims", 'no such overload'],
    ["'nope' in claims", 'no such overload'],
    ["'kubernetes__dot__io' in claims", 'no such overload'],
    ["'jti' in dyn(claims)", 'no such overload'],
    ['size(claims)', 'no such overload: size'],
    ['claims.size()', 'no such overload: size'],
    ['size(dyn(claims)) > 0', 'no such overload: size'],
  ])('%s fails: %s', (expression, error) => {
    expect(evalClaims(expression, token)).toEqual({ error, name: 'CelEvaluationError' })
  })

  it.each([
    ["'sub' in claims.nested", { nested: { sub: 1 } }, true],
    ['size(claims.nested)', { nested: { a: 1, b: 2 } }, 2n],
    ['!has(claims._claim_names) || !has(claims._claim_names.groups)', { sub: 'x' }, true],
  ])('nested objects are ordinary maps: %s', (expression, claims, want) => {
    expect(evalClaims(expression, claims)).toEqual(want)
  })

  it('a value that is itself a claim name finds that claim', () => {
    expect(evalClaims('claims.transformList(k, v, v)', { a: 'b', b: 'a' })).toEqual(['a', 'b'])
  })
})
