/**
 * The two cel-go behaviours the oidc_test.go table needed beyond cel-js:
 * `has()` on any selection operand, and `orValue` typed by its argument when the
 * optional's element type is unknown (a free type parameter in cel-go).
 */
import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../src/cel/activation.js'
import { compileClaimsExpression } from '../../src/cel/compile.js'

const activation = toClaimsActivation({
  'kubernetes.io': { node: { uid: 'u1' } },
  data: [{ 'groups.io': 'gen1' }],
  flag: true,
})

function run(expression: string): unknown {
  const result = compileClaimsExpression(expression)
  if (!result.ok) return { error: result.message }
  try {
    return { type: result.compiled.staticType, value: result.compiled.evaluate(activation) }
  } catch (err) {
    return { type: result.compiled.staticType, error: (err as Error).message }
  }
}

describe('has() on any operand (cel-go expandHasMacro)', () => {
  it.each([
    ['has(claims.data[0].groups__dot__io)', { type: 'bool', value: true }],
    ['has(claims.data[0].missing)', { type: 'bool', value: false }],
    ['has(claims["kubernetes.io"].node.uid)', { type: 'bool', value: true }],
    [
      'has(claims.data[0].groups__dot__io) && !has(claims.data[0].x)',
      { type: 'bool', value: true },
    ],
    ['has(claims.kubernetes__dot__io.node)', { type: 'bool', value: true }],
    ['has(claims.missing.x)', { type: 'bool', error: 'no such key: missing' }],
  ])('%s', (expression, want) => {
    expect(run(expression)).toEqual(want)
  })
})

describe('orValue static type (cel-go type parameters)', () => {
  it.each([
    // Element type unknown: the argument decides (bool passes the validation-rule check).
    ['claims[?"kubernetes.io"]["node"]["ip"].orValue(true)', { type: 'bool', value: true }],
    // A dyn receiver types as the argument; a non-optional value still fails at run time.
    ['claims.flag.orValue(false)', { type: 'bool', error: expect.any(String) }],
    ['claims["kubernetes.io"]["node"][?"uid"].orValue("none")', { type: 'string', value: 'u1' }],
    ['claims["kubernetes.io"]["node"][?"ip"].orValue("none")', { type: 'string', value: 'none' }],
    // Known element type any (map(string, any) lookups): stays any, as in cel-go.
    ['claims.?missing.orValue(true)', { type: 'any', value: true }],
    ['claims[?"missing"].orValue(true)', { type: 'any', value: true }],
    ['claims.?missing.orValue(true) == true', { type: 'bool', value: true }],
  ])('%s', (expression, want) => {
    expect(run(expression)).toMatchObject(want)
  })
})
