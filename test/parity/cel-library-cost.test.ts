/**
 * The macros this service adds (two-variable comprehensions, sortBy) run their own
 * loops; each pass is charged like a comprehension step, so kube-apiserver's per-call
 * cost limit (1,000,000) and this service's evaluation time guard still stop them.
 */
import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../src/cel/activation.js'
import { compileClaimsExpression } from '../../src/cel/compile.js'

function evaluate(expr: string): unknown {
  const compiled = compileClaimsExpression(expr)
  if (!compiled.ok) throw new Error(compiled.message)
  try {
    return compiled.compiled.evaluate(toClaimsActivation({}))
  } catch (err) {
    return { error: (err as Error).message }
  }
}

describe('cost limit on library macros', () => {
  it.each([
    ['nested two-variable all', 'lists.range(2000).all(i, v, lists.range(2000).all(j, w, i >= 0))'],
    [
      'nested transformList',
      'lists.range(2000).transformList(i, v, lists.range(2000).transformList(j, w, j)).size() > 0',
    ],
    [
      'sortBy with an expensive key',
      'lists.range(2000).sortBy(i, lists.range(2000).map(x, x).size())',
    ],
  ])('%s is cancelled', (_name, expr) => {
    // Which bound trips first (cost units or the wall-clock guard past 100k units) depends on speed.
    expect(evaluate(expr)).toEqual({
      error: expect.stringMatching(
        /^operation cancelled: (actual cost|evaluation time) limit exceeded$/,
      ),
    })
  })

  it.each([
    ['two-variable all over 2,000 elements', 'lists.range(2000).all(i, v, i == v)', true],
    ['sortBy over 2,000 elements', 'lists.range(2000).sortBy(i, -i)[0] == 1999', true],
  ])('%s stays within the limit', (_name, expr, want) => {
    expect(evaluate(expr)).toBe(want)
  })
})
