import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../../src/cel/activation.js'
import { CelEvaluationError } from '../../../src/cel/types.js'
import { claimsExpr } from './helpers.js'

const groups = Array.from({ length: 10_000 }, (_, i) => `group-${i}`)
const hostile = toClaimsActivation({ sub: 'x', groups, big: 'a'.repeat(1_000_000) })

describe('runtime cost limit', () => {
  it.each([
    {
      name: 'nested all over 10k groups',
      expr: 'dyn(claims.groups).all(a, dyn(claims.groups).all(b, a != b || true))',
    },
    {
      name: 'nested exists that never matches',
      expr: 'dyn(claims.groups).exists(a, dyn(claims.groups).exists(b, a + b == "none"))',
    },
    {
      name: 'nested map building 1e8 strings',
      expr: 'size(dyn(claims.groups).map(a, dyn(claims.groups).map(b, a + b))) > 0',
    },
    {
      name: 'list membership inside a loop',
      expr: 'dyn(claims.groups).all(a, a in claims.groups && !("zz" in claims.groups))',
    },
    {
      name: 'sets over a loop',
      expr: 'dyn(claims.groups).all(a, sets.contains(claims.groups, [a]))',
    },
  ])('$name fails with the cost error', ({ expr }) => {
    const compiled = claimsExpr(expr)
    let caught: unknown
    try {
      compiled.evaluate(hostile)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(CelEvaluationError)
    expect((caught as Error).message).toMatch(
      /^operation cancelled: (actual cost limit|evaluation time limit) exceeded$/,
    )
  })

  it.each([
    {
      name: 'single pass over 10k groups',
      expr: 'dyn(claims.groups).exists(g, g == "group-9999")',
      want: true,
    },
    {
      name: 'map over 10k groups',
      expr: 'size(dyn(claims.groups).map(g, "p:" + g))',
      want: 10000n,
    },
    { name: 'membership test', expr: '"group-5" in claims.groups', want: true },
    { name: 'large string operation', expr: 'claims.big.startsWith("aaa")', want: true },
  ])('$name stays within budget', ({ expr, want }) => {
    expect(claimsExpr(expr).evaluate(hostile)).toEqual(want)
  })

  it('the budget resets for every evaluation', () => {
    const compiled = claimsExpr('size(dyn(claims.groups).map(g, "p:" + g))')
    for (let i = 0; i < 5; i++) expect(compiled.evaluate(hostile)).toBe(10000n)
  })

  it('a failed evaluation does not poison the next', () => {
    expect(() =>
      claimsExpr('dyn(claims.groups).all(a, dyn(claims.groups).all(b, true))').evaluate(hostile),
    ).toThrow(/^operation cancelled: (actual cost limit|evaluation time limit) exceeded$/)
    expect(claimsExpr('claims.sub').evaluate(hostile)).toBe('x')
  })
})

describe('evaluation time limit', () => {
  it('stops a loop whose cost stays within the cost limit but whose time does not', () => {
    // 3000 x 300 = 9e5 inner steps: under cel-go's 1e6 units, far over 10 ms in cel-js.
    const wide = toClaimsActivation({
      a: Array.from({ length: 3000 }, (_, i) => i),
      b: Array.from({ length: 300 }, (_, i) => i),
    })
    expect(() =>
      claimsExpr('dyn(claims.a).all(x, dyn(claims.b).all(y, true))').evaluate(wide),
    ).toThrow(/^operation cancelled: (actual cost limit|evaluation time limit) exceeded$/)
  })
})

describe('evaluation speed sanity', () => {
  it('10k evaluations of a simple mapping complete', () => {
    const compiled = claimsExpr('"oidc:" + claims.sub')
    const activation = toClaimsActivation({ sub: 'jane' })
    let last: unknown
    for (let i = 0; i < 10_000; i++) last = compiled.evaluate(activation)
    expect(last).toBe('oidc:jane')
  })
})
