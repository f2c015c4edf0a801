/**
 * No claim set can stall the event loop: list and set functions run in linear
 * time for hashable values and charge cel-go's figures (distinct and sort n²,
 * the sets functions n·m), and every function whose work follows nested values
 * or what it builds charges that work, so an adversarial expression over a large
 * token ends with the cost-limit error instead of running for seconds.
 */
import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../../src/cel/activation.js'
import { lastEvaluationCost } from '../../../src/cel/evaluate.js'
import { claimsExpr, evalClaims } from './helpers.js'

// The CPU-time guard (after 200k units) may trip before the unit count does; both cancel.
const COST_ERROR = {
  error: expect.stringMatching(
    /^operation cancelled: (actual cost|evaluation time) limit exceeded$/,
  ),
}
const groups = Array.from({ length: 18_000 }, (_, i) => `group-${i}`)
const tenK = Array.from({ length: 10_000 }, (_, i) => i)
const claims = {
  groups,
  small: groups.slice(0, 500),
  a: groups.slice(0, 800),
  b: groups.slice(0, 800),
  // Same contents, different objects: comparing them walks every element.
  nested: [tenK],
  nestedCopy: [[...tenK]],
  listOfLists: Array.from({ length: 50 }, () => [...tenK]),
  twoLong: ['x'.repeat(100_000), 'y'.repeat(100_000)],
  long: 'z'.repeat(100_000),
}
const activation = toClaimsActivation(claims)

function run(expression: string): unknown {
  try {
    return claimsExpr(expression).evaluate(activation)
  } catch (err) {
    return { error: (err as Error).message }
  }
}

describe('adversarial expressions end with the cost-limit error', () => {
  it.each([
    ['distinct over 18k strings (cel-go: 2.1·n²)', 'claims.groups.distinct().size() > 0'],
    ['sort over 18k strings (cel-go: 2.1·n²)', 'claims.groups.sort().size() > 0'],
    ['sets.contains over 18k × 18k', 'sets.contains(claims.groups, claims.groups)'],
    ['sets.equivalent over 800 × 800 (factor 2)', 'sets.equivalent(claims.a, claims.b)'],
    ['sets.intersects over 18k × 18k', 'sets.intersects(claims.groups, claims.groups)'],
    [
      'a million-element range built in every step',
      'dyn(claims.groups).all(g, lists.range(1000000).size() > 0)',
    ],
    [
      'nested lists compared in every step',
      'dyn(claims.groups).all(g, claims.nested == claims.nestedCopy)',
    ],
    [
      'nested list membership in every step',
      'dyn(claims.groups).all(g, claims.nestedCopy[0] in claims.listOfLists)',
    ],
    [
      'indexOf over nested lists in every step',
      'dyn(claims.groups).all(g, claims.listOfLists.indexOf(claims.nestedCopy[0]) >= 0)',
    ],
    [
      'joining long strings in every step',
      'dyn(claims.groups).all(g, claims.twoLong.join().size() > 0)',
    ],
    [
      'formatting nested lists in every step',
      'dyn(claims.groups).all(g, "%s".format([claims.listOfLists]).size() > 0)',
    ],
    [
      'flattening nested lists in every step',
      'dyn(claims.groups).all(g, claims.listOfLists.flatten().size() > 0)',
    ],
    [
      'an empty pattern replaced by a long string',
      'claims.long.replace("", claims.long).size() > 0',
    ],
    [
      'a result referencing one list thousands of times',
      'dyn(claims.groups).map(g, claims.listOfLists)',
    ],
  ])('%s', (_name, expression) => {
    expect(run(expression)).toEqual(COST_ERROR)
  })
})

describe('what is charged', () => {
  it.each([
    ['distinct over 500 strings', 'claims.small.distinct()', Math.floor(500 * 500 * 2.1) + 11],
    ['sort over 500 strings', 'claims.small.sort()', Math.floor(500 * 500 * 2.1) + 11],
    ['sets.contains 500 × 500', 'sets.contains(claims.small, claims.small)', 1 + 500 * 500],
    ['sets.equivalent 500 × 500', 'sets.equivalent(claims.small, claims.small)', 1 + 2 * 500 * 500],
    ['lists.range(100000)', 'lists.range(100000)', 100_000 + 11],
  ])("%s: at least cel-go's figure", (_name, expression, figure) => {
    claimsExpr(expression).evaluate(activation)
    const cost = lastEvaluationCost()
    expect(cost).toBeGreaterThanOrEqual(figure)
    // Only the call itself and its operands' selection on top.
    expect(cost).toBeLessThanOrEqual(figure + 2_000)
  })

  it('sets.intersects against a short list is linear and cheap', () => {
    expect(run('sets.intersects(claims.groups, ["group-17999"])')).toBe(true)
    expect(lastEvaluationCost()).toBeLessThan(40_000)
  })
})

describe('linear algorithms keep CEL equality', () => {
  it.each([
    ['[dyn(1), dyn(1.0), dyn(2), dyn(2.0), dyn(1)].distinct()', [1n, 2n]],
    ['["a", "b", "a", "c", "b"].distinct()', ['a', 'b', 'c']],
    ['[dyn(null), dyn(null), dyn(true), dyn(false), dyn(true)].distinct()', [null, true, false]],
    [
      '[dyn([1]), dyn([1.0]), dyn([2]), dyn({"a": 1}), dyn({"a": 1.0})].distinct()',
      [[1n], [2n], { a: 1n }],
    ],
    ['[dyn(1), dyn("1"), dyn([1]), dyn({"1": 1})].distinct()', [1n, '1', [1n], { '1': 1n }]],
    ['[0.0, -0.0].distinct()', [0]],
    ['sets.contains([dyn(1), dyn(2), dyn(3)], [dyn(3), dyn(2.0), dyn(1)])', true],
    ['sets.contains([[1], [2, 3]], [[dyn(2), dyn(3.0)]])', true],
    ['sets.contains([1], [1, 2])', false],
    ['sets.equivalent([1], [1, 1])', true],
    ['sets.equivalent([dyn(1), dyn(2), dyn(3)], [dyn(3), dyn(2.0), dyn(1)])', true],
    ['sets.intersects([[dyn(1)], [dyn(2), dyn(3)]], [[dyn(1), dyn(2)], [dyn(2), dyn(3.0)]])', true],
    ['sets.intersects([1], [])', false],
  ])('%s', (expression, want) => {
    expect(evalClaims(expression, {})).toEqual(want)
  })

  it.each([
    ['claims.x.indexOf(claims.y)', { x: [[1], [2, 3]], y: [2, 3] }, 1n],
    ['claims.x.lastIndexOf(1.0)', { x: [1, 2, 1] }, 2n],
    ['claims.x.includes(claims.y)', { x: [{ a: [1] }, { a: [2] }], y: { a: [2] } }, true],
    ['claims.x.distinct()', { x: [{ a: 1 }, { a: 1 }, { a: 2 }] }, [{ a: 1 }, { a: 2 }]],
  ])('%s over claims', (expression, input, want) => {
    expect(evalClaims(expression, input)).toEqual(want)
  })
})
