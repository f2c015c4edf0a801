/**
 * Optional elements in list and map literals, and the optional-library functions cel-js
 * lacks, against cel-go v0.27.0 (450089b38d4c, the version Kubernetes 1.37.0-beta.0
 * vendors): cases transcribed from checker/checker_test.go (optional literal typing),
 * cel/cel_test.go (optional evaluation), cel/folding_test.go (the results of folded
 * literals) and cel/validator_test.go (homogeneous literals with optionals), with cel-go's
 * variables `m`, `x`, `y` replaced by claims or optional literals.
 */
import { describe, expect, it } from '@jest/globals'
import { run } from './cel-library-run.js'

const claims = { m: { c: { 'dashed-index': 'goodbye' } }, name: 'hello', s: 'x' }

describe('checker_test.go: optional literal typing', () => {
  it.each([
    [`{?'key': {'a': 'b'}.?value}`, { value: {} }],
    [`{?'key': {'a': 'b'}.?a}.key`, { value: 'b' }],
    [
      `{?'key': 'hi'}`,
      {
        compileError:
          "ERROR: <input>:1:10: expected type 'optional_type(string)' but found 'string'",
      },
    ],
    [`[?optional.of('a'), ?optional.none(), 'world']`, { value: ['a', 'world'] }],
    [
      `[?'value']`,
      {
        compileError:
          "ERROR: <input>:1:3: expected type 'optional_type(string)' but found 'string'",
      },
    ],
  ])('%s', (expr, want) => {
    expect(run(expr, claims)).toEqual(want)
  })
})

describe('cel_test.go: optional literal evaluation', () => {
  it.each([
    [`has({?'foo': optional.none()}.foo)`, { value: false }],
    [`has({'foo': optional.none()}.foo)`, { value: true }],
    [
      `{?'nested_map': optional.ofNonZeroValue({?'map': claims.m.?c})}`,
      { value: { nested_map: { map: { 'dashed-index': 'goodbye' } } } },
    ],
    // With claims (map(string, any)) in place of cel-go's `m`, Kubernetes' homogeneous
    // literal validator refuses these: `any` matches only `any`.
    [
      `{?'nested_map': optional.ofNonZeroValue({?'map': claims.?missing}), 'singleton': true}`,
      { compileError: "ERROR: <input>:1:82: expected type 'map(string, any)' but found 'bool'" },
    ],
    [
      `[?claims.?missing, ?optional.of(42), ?optional.none()]`,
      { compileError: "ERROR: <input>:1:32: expected type 'any' but found 'int'" },
    ],
    [`[?optional.ofNonZeroValue(claims.?missing.orValue({}))]`, { value: [] }],
    [
      `optional.ofNonZeroValue({?'nested_map': optional.ofNonZeroValue({?'map': claims.?missing})})`,
      { value: 'optional.none' },
    ],
  ])('%s', (expr, want) => {
    expect(run(expr, claims)).toEqual(want)
  })
})

describe('folding_test.go: literal results', () => {
  it.each([
    [`[?optional.ofNonZeroValue(0)]`, []],
    [`[1, ?optional.ofNonZeroValue(0)]`, [1n]],
    [`[?optional.none(), ?optional.of(2)]`, [2n]],
    [`[1, 2, ?optional.ofNonZeroValue(3), ?optional.none()]`, [1n, 2n, 3n]],
    [`[1, 2, ?optional.ofNonZeroValue(3), ?optional.none()].size() > 3`, false],
    [`{?'a': optional.of('hello'), ?'b': optional.none()}`, { a: 'hello' }],
    [`{?'hello': optional.of('world')}['hello'] == claims.s`, false],
  ])('%s', (expr, value) => {
    expect(run(expr, claims)).toEqual({ value })
  })
})

describe('validator_test.go: homogeneous literals with optionals', () => {
  it.each([
    [`claims.name in ['hello', ?optional.ofNonZeroValue('')]`, true],
    [`claims.name in [?optional.ofNonZeroValue(''), 'hello', ?optional.of('')]`, true],
    [`{'hello': false, ?'world': optional.ofNonZeroValue(true)}`, { hello: false, world: true }],
    [`{?'hello': optional.ofNonZeroValue(false), 'world': true}`, { world: true }],
  ])('%s', (expr, value) => {
    expect(run(expr, claims)).toEqual({ value })
  })

  it('elements still have to agree once unwrapped', () => {
    expect(run(`[?optional.of(1), 'a']`)).toEqual({
      compileError: "ERROR: <input>:1:19: expected type 'int' but found 'string'",
    })
  })
})

describe('interpretable.go: a dyn element that is not optional', () => {
  it.each([
    [`[?claims.name]`, 'cannot initialize optional list element from non-optional value'],
    [`{?'k': claims.name}`, 'cannot initialize optional entry from non-optional value'],
  ])('%s', (expr, error) => {
    expect(run(expr, claims)).toEqual({ error })
  })
})

describe('where a ? is not an optional element', () => {
  it.each([
    [`claims[?'name'].orValue('') == 'hello'`, { value: true }],
    [`claims.?name.hasValue() ? ['a?'] : ['b']`, { value: ['a?'] }],
    ["[1, 2].map(x, x > 1 ? 'y' : 'n') // [?z]", { value: ['n', 'y'] }],
    [`[r'?', "?", '''?''']`, { value: ['?', '?', '?'] }],
    ['[?]', { compileError: expect.stringMatching(/^ERROR: <input>:1:2: /) }],
  ])('%s', (expr, want) => {
    expect(run(expr, claims)).toEqual(want)
  })
})

describe('cel/library.go optional functions', () => {
  it.each([
    ['optional.ofNonZeroValue(0).hasValue()', false],
    ['optional.ofNonZeroValue("").hasValue()', false],
    ['optional.ofNonZeroValue(null).hasValue()', false],
    ['optional.ofNonZeroValue([1, 2, 3]).value()', [1n, 2n, 3n]],
    ['optional.ofNonZeroValue({}).hasValue()', false],
    ['optional.ofNonZeroValue(duration("0s")).hasValue()', false],
    ['optional.ofNonZeroValue(timestamp("1970-01-01T00:00:00Z")).hasValue()', true],
    ['optional.ofNonZeroValue(timestamp("0001-01-01T00:00:00Z")).hasValue()', false],
    ["claims.?m.optMap(m, m.c['dashed-index']).value()", 'goodbye'],
    ['claims.?missing.optMap(m, m.c).hasValue()', false],
    ['claims.?m.optFlatMap(m, m.?c).value()', { 'dashed-index': 'goodbye' }],
    ['claims.?m.optFlatMap(m, m.?nope).hasValue()', false],
    ['[].first().hasValue()', false],
    ['[1, 2, 3].first().value()', 1n],
    ['[1, 2, 3].last().value()', 3n],
    ['optional.unwrap([optional.of(1), optional.none()])', [1n]],
    ['[optional.of(42), optional.none()].unwrapOpt()', [42n]],
  ])('%s', (expr, value) => {
    expect(run(expr, claims)).toEqual({ value })
  })
})
