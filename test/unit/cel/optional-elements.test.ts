import { describe, expect, it } from '@jest/globals'
import type { CelNode } from '../../../src/cel/ast.js'
import { celEnvironment } from '../../../src/cel/environment.js'
import { expandOptionalElements, markOptionalElements } from '../../../src/cel/optional-elements.js'

describe('markOptionalElements', () => {
  it.each([
    ['[?a, b]', '[ a, b]', [1]],
    ['[a, ?b]', '[a,  b]', [4]],
    ["{?'k': v, ?'j': w}", "{ 'k': v,  'j': w}", [1, 10]],
    ['x in [?a]', 'x in [ a]', [6]],
    ['c ? [?a] : []', 'c ? [ a] : []', [5]],
    ['a[?0]', 'a[?0]', []],
    ['a.?b', 'a.?b', []],
    ['f(a, ?b)', 'f(a, ?b)', []],
    ['[a ? b : c]', '[a ? b : c]', []],
    ['[?]', '[?]', []],
    ['[a, ?]', '[a, ?]', []],
    [
      "['[?a', \"[?b\", '''[?c''', r'[?d', b'[?e']",
      "['[?a', \"[?b\", '''[?c''', r'[?d', b'[?e']",
      [],
    ],
    ["['\\'', ?x]", "['\\'',  x]", [7]],
    ['// [?a]\n[?b]', '// [?a]\n[ b]', [9]],
  ])('%j', (expression, source, markers) => {
    expect(markOptionalElements(expression)).toEqual({ source, markers })
  })
})

describe('expandOptionalElements', () => {
  const env = celEnvironment('claims')
  const call = env.parse('f()').ast as unknown as CelNode

  it('refuses a mark that opens no element, like a parse error', () => {
    const root = env.parse('[a,  b]').ast as unknown as CelNode
    expect(() => expandOptionalElements(root, [6], call)).toThrow(
      expect.objectContaining({ summary: "unexpected '?'", range: { start: 6 } }),
    )
  })

  it('wraps the marked element only', () => {
    const root = env.parse('[a,  b]').ast as unknown as CelNode
    expandOptionalElements(root, [4], call)
    const [first, second] = root.args as CelNode[]
    expect([first?.op, second?.op, (second?.args as [string])[0]]).toEqual([
      'id',
      'call',
      'k8s_optionalElement',
    ])
  })
})
