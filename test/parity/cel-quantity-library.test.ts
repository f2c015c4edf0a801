/**
 * The Kubernetes quantity library against kube-apiserver's own tables, transcribed (inputs
 * and expected outputs) from k8s.io/apiserver pkg/cel/library/quantity_test.go (TestQuantity)
 * and cost_test.go (TestQuantityCost) at v0.37.0-beta.0 (c19df515293e, Kubernetes
 * 1.37.0-beta.0; the files are unchanged on master), and k8s.io/apimachinery
 * pkg/api/resource/quantity_test.go (TestQuantityParse) at v0.37.0-beta.0.
 * Error expectations are upstream's regular expressions, matched as upstream matches them.
 */
import { describe, expect, it } from '@jest/globals'
import { CelQuantity } from '../../src/cel/library/quantity.js'
import { parseQuantity } from '../../src/cel/library/quantity-amount.js'
import { quantityEqualTo, run, runWithCost } from './cel-library-run.js'

interface Case {
  name: string
  expr: string
  value?: unknown
  quantity?: string
  error?: string
  compileError?: string
}

const quantityTest: Case[] = [
  { name: 'parse', expr: 'quantity("12Mi")', quantity: '12Mi' },
  {
    name: 'parseInvalidSuffix',
    expr: 'quantity("10Mo")',
    error: 'quantities must match the regular expression.*',
  },
  {
    name: 'parseInvalidSuffixPassesRegex',
    expr: 'quantity("10Mm")',
    error: "unable to parse quantity's suffix",
  },
  { name: 'isQuantity', expr: 'isQuantity("20")', value: true },
  { name: 'isQuantity_megabytes', expr: 'isQuantity("20M")', value: true },
  { name: 'isQuantity_mebibytes', expr: 'isQuantity("20Mi")', value: true },
  { name: 'isQuantity_invalidSuffix', expr: 'isQuantity("20Mo")', value: false },
  { name: 'isQuantity_passingRegex', expr: 'isQuantity("10Mm")', value: false },
  {
    name: 'isQuantity_noOverload',
    expr: 'isQuantity([1, 2, 3])',
    compileError: "found no matching overload for 'isQuantity' applied to.*",
  },
  { name: 'equality_reflexivity', expr: 'quantity("200M") == quantity("200M")', value: true },
  {
    name: 'equality_symmetry',
    expr: 'quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")',
    value: true,
  },
  {
    name: 'equality_transitivity',
    expr: 'quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")',
    value: true,
  },
  { name: 'inequality', expr: 'quantity("200M") == quantity("0.3G")', value: false },
  { name: 'quantity_less', expr: 'quantity("50M").isLessThan(quantity("50Mi"))', value: true },
  {
    name: 'quantity_less_obvious',
    expr: 'quantity("50M").isLessThan(quantity("100M"))',
    value: true,
  },
  {
    name: 'quantity_less_false',
    expr: 'quantity("100M").isLessThan(quantity("50M"))',
    value: false,
  },
  {
    name: 'quantity_greater',
    expr: 'quantity("50Mi").isGreaterThan(quantity("50M"))',
    value: true,
  },
  {
    name: 'quantity_greater_obvious',
    expr: 'quantity("150Mi").isGreaterThan(quantity("100Mi"))',
    value: true,
  },
  {
    name: 'quantity_greater_false',
    expr: 'quantity("50M").isGreaterThan(quantity("100M"))',
    value: false,
  },
  { name: 'compare_equal', expr: 'quantity("200M").compareTo(quantity("0.2G"))', value: 0n },
  { name: 'compare_less', expr: 'quantity("50M").compareTo(quantity("50Mi"))', value: -1n },
  { name: 'compare_greater', expr: 'quantity("50Mi").compareTo(quantity("50M"))', value: 1n },
  {
    name: 'add_quantity',
    expr: 'quantity("50k").add(quantity("20")) == quantity("50.02k")',
    value: true,
  },
  {
    name: 'add_int',
    expr: 'quantity("50k").add(20).isLessThan(quantity("50020"))',
    value: false,
  },
  {
    name: 'sub_quantity',
    expr: 'quantity("50k").sub(quantity("20")) == quantity("49.98k")',
    value: true,
  },
  { name: 'sub_int', expr: 'quantity("50k").sub(20) == quantity("49980")', value: true },
  {
    name: 'arith_chain_1',
    expr: 'quantity("50k").add(20).sub(quantity("100k")).asInteger()',
    value: -49980n,
  },
  {
    name: 'arith_chain',
    expr: 'quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()',
    value: 20n,
  },
  { name: 'as_integer', expr: 'quantity("50k").asInteger()', value: 50000n },
  {
    name: 'as_integer_error',
    expr: 'quantity("9999999999999999999999999999999999999G").asInteger()',
    error: 'cannot convert value to integer',
  },
  {
    name: 'is_integer',
    expr: 'quantity("9999999999999999999999999999999999999G").isInteger()',
    value: false,
  },
  { name: 'is_integer', expr: 'quantity("50").isInteger()', value: true },
  { name: 'as_float', expr: 'quantity("50.703k").asApproximateFloat()', value: 50703 },
  {
    name: 'add_does_not_mutate_receiver',
    expr: '[quantity("9999999999999999999999999999999999999")].all(x, x.add(quantity("1")).compareTo(x.add(quantity("2"))) == -1)',
    value: true,
  },
]

function check(c: Case): void {
  const outcome = run(c.expr)
  if (c.compileError !== undefined) {
    expect(outcome.compileError).toMatch(new RegExp(c.compileError))
  } else if (c.error !== undefined) {
    expect(outcome).toEqual({ error: expect.stringMatching(new RegExp(c.error)) })
  } else if (c.quantity !== undefined) {
    expect(outcome.value).toBeInstanceOf(CelQuantity)
    expect(quantityEqualTo(outcome.value as CelQuantity, c.quantity)).toBe(true)
  } else {
    expect(outcome).toEqual({ value: c.value })
  }
}

describe('quantity_test.go TestQuantity', () => {
  it.each(quantityTest)('$name: $expr', check)
})

describe('documented examples (quantity.go)', () => {
  it.each<Case>([
    { name: 'quantity 1.5G', expr: 'quantity("1.5G")', quantity: '1500M' },
    { name: 'quantity 200K', expr: 'isQuantity("200K")', value: false },
    { name: 'quantity Three', expr: 'isQuantity("Three")', value: false },
    // The comment says false, but parseQuantityString reads a bare suffix as zero.
    {
      name: 'quantity Mi',
      expr: 'isQuantity("Mi") && quantity("Mi") == quantity("0")',
      value: true,
    },
    { name: 'isQuantity 1,3G', expr: 'isQuantity("1,3G")', value: false },
    { name: 'isQuantity 10000k', expr: 'isQuantity("10000k")', value: true },
    { name: 'isInteger 50000000G', expr: 'quantity("50000000G").isInteger()', value: true },
    {
      name: 'sub then float',
      expr: 'quantity("50k").sub(20000).asApproximateFloat() == 30000.0',
      value: true,
    },
    { name: 'add int', expr: 'quantity("50k").add(20) == quantity("50020")', value: true },
    {
      name: 'chain',
      expr: 'quantity("50k").add(20).sub(quantity("100k")).sub(-50000) == quantity("20")',
      value: true,
    },
  ])('$name: $expr', check)
})

/**
 * Behaviour read from apimachinery's resource.Quantity and apiserver's quantity.go (no
 * upstream table states these; each follows from the code path named).
 */
describe('resource.Quantity code paths', () => {
  it.each<Case>([
    // A decimal fraction is an int64Amount with a negative scale: AsInt64 fails.
    { name: 'fraction is not an integer', expr: 'quantity("1.0").isInteger()', value: false },
    { name: 'binary suffix is an integer', expr: 'quantity("1Ki").asInteger()', value: 1024n },
    // Fractional binary values take the inf.Dec path, which AsInt64 always refuses.
    { name: 'inf.Dec is never an integer', expr: 'quantity("1.5Gi").isInteger()', value: false },
    { name: 'milli is not an integer', expr: 'quantity("1000m").isInteger()', value: false },
    { name: 'sign is a global function', expr: 'sign(quantity("-1m"))', value: -1n },
    { name: 'sign of zero', expr: 'sign(quantity("0"))', value: 0n },
    {
      name: 'sign is not a member',
      expr: 'quantity("1").sign()',
      compileError: "found no matching overload for 'sign' applied to 'kubernetes.Quantity.\\(\\)'",
    },
    // parseQuantityString treats a lone sign or point as zero.
    { name: 'lone plus', expr: 'isQuantity("+")', value: true },
    { name: 'lone point', expr: 'quantity(".").asInteger()', value: 0n },
    { name: 'empty', expr: 'isQuantity("")', value: false },
    {
      name: 'exponent without digits',
      expr: 'quantity("1e")',
      error: "^unable to parse quantity's suffix$",
    },
    { name: 'E is exa', expr: 'quantity("2E") == quantity("2e18")', value: true },
    { name: 'E5 is an exponent', expr: 'quantity("1E5").asInteger()', value: 100000n },
    // suffix.go keeps ParseInt's int64 as int32(parsed): 2^32 + 1 becomes 1.
    { name: 'exponent wraps like int32', expr: 'quantity("1e4294967297").asInteger()', value: 10n },
    {
      name: 'exponent beyond int64',
      expr: 'quantity("1e9223372036854775808")',
      error: "^unable to parse quantity's suffix$",
    },
    // BinarySI values are capped at MaxInt64.
    {
      name: 'binary cap',
      expr: 'quantity("9Ei") == quantity("9223372036854775807")',
      value: true,
    },
    { name: 'rounded up to nanos', expr: 'quantity("0.5e-9") == quantity("1n")', value: true },
    {
      name: 'negative rounded away from zero',
      expr: 'quantity("-3.001n") == quantity("-4n")',
      value: true,
    },
    // Cmp converts the receiver to inf.Dec when the other side is one.
    {
      name: 'compareTo changes the receiver',
      expr: '[quantity("1")].all(x, x.isInteger() && x.compareTo(quantity("1.5Gi")) == -1 && !x.isInteger())',
      value: true,
    },
    {
      name: 'equality leaves both sides alone',
      expr: '[quantity("1")].all(x, x == quantity("1.5Gi") || x.isInteger())',
      value: true,
    },
    // add/sub return a pointer; Equal only accepts a value on its right.
    {
      name: 'arithmetic result on the right of ==',
      expr: 'quantity("3") == quantity("1").add(2)',
      error: '^no such overload$',
    },
    {
      name: 'arithmetic result on the right of !=',
      expr: 'quantity("3") != quantity("1").add(2)',
      value: true,
    },
    {
      name: 'int64 overflow moves to inf.Dec',
      expr: 'quantity("9223372036854775807").add(1).isInteger()',
      value: false,
    },
    {
      name: 'int64 overflow keeps the value',
      expr: 'quantity("9223372036854775807").add(1).compareTo(quantity("9223372036854775808")) == 0',
      value: true,
    },
    { name: 'float of nanos', expr: 'quantity("1n").asApproximateFloat()', value: 1e-9 },
    {
      name: 'float of a large exponent',
      expr: 'quantity("1e400").asApproximateFloat()',
      value: Infinity,
    },
    {
      name: 'float of zero times infinity',
      expr: 'string(quantity("0e400").asApproximateFloat())',
      value: 'NaN',
    },
    // Rounding to nanos: apimachinery computes 10^(2e9) here; the value is 1n.
    { name: 'tiny exponent', expr: 'quantity("1e-2000000000") == quantity("1n")', value: true },
    {
      name: 'beyond the supported size',
      expr: 'isQuantity("1234567890123456789e2000000000")',
      error: '^quantity needs more than 10000 decimal digits$',
    },
  ])('$name: $expr', check)
})

describe('cost_test.go TestQuantityCost (runtime cost)', () => {
  it.each([
    ['quantity("12Mi")', 1],
    ['isQuantity("20")', 1],
    ['isQuantity("20M")', 1],
    ['quantity("200M") == quantity("200M")', 3],
    ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', 6],
    [
      'quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")',
      9,
    ],
    ['quantity("50M").isLessThan(quantity("50Mi"))', 3],
    ['quantity("50Mi").isGreaterThan(quantity("50M"))', 3],
    ['quantity("200M").compareTo(quantity("0.2G")) > 0', 4],
    ['quantity("50k").add(quantity("20")) == quantity("50.02k")', 5],
    ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', 5],
    ['quantity("50k").sub(20) == quantity("49980")', 4],
    ['quantity("50k").add(20).sub(quantity("100k")).asInteger() > 0', 6],
    ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger() > 0', 7],
    ['quantity("50k").asInteger() > 0', 3],
    ['quantity("50").isInteger()', 2],
    ['quantity("50.703k").asApproximateFloat() > 0.0', 3],
  ])('%s costs %d', (expr, cost) => {
    expect(runWithCost(expr).cost).toBe(cost)
  })

  it('a long string costs a tenth of its length to parse', () => {
    expect(runWithCost(`isQuantity("${'1'.repeat(95)}")`).cost).toBe(10)
  })
})

/** TestQuantityParse: [input, unscaled, decimal exponent] (apimachinery's decQuantity). */
const parseTable: Array<[string, bigint, number]> = [
  ['0', 0n, 0],
  ['0n', 0n, 0],
  ['0u', 0n, 0],
  ['0m', 0n, 0],
  ['0Ki', 0n, 0],
  ['0k', 0n, 0],
  ['0Mi', 0n, 0],
  ['0M', 0n, 0],
  ['0Gi', 0n, 0],
  ['0G', 0n, 0],
  ['0Ti', 0n, 0],
  ['0T', 0n, 0],
  ['1', 1n, 0],
  ['1Ki', 1024n, 0],
  ['8Ki', 8n * 1024n, 0],
  ['7Mi', 7n * 1024n ** 2n, 0],
  ['6Gi', 6n * 1024n ** 3n, 0],
  ['5Ti', 5n * 1024n ** 4n, 0],
  ['4Pi', 4n * 1024n ** 5n, 0],
  ['3Ei', 3n * 1024n ** 6n, 0],
  ['10Ti', 10n * 1024n ** 4n, 0],
  ['100Ti', 100n * 1024n ** 4n, 0],
  ['5n', 5n, -9],
  ['4u', 4n, -6],
  ['3m', 3n, -3],
  ['9', 9n, 0],
  ['8k', 8n, 3],
  ['50k', 5n, 4],
  ['7M', 7n, 6],
  ['6G', 6n, 9],
  ['5T', 5n, 12],
  ['40T', 4n, 13],
  ['300T', 3n, 14],
  ['2P', 2n, 15],
  ['1E', 1n, 18],
  ['1E-3', 1n, -3],
  ['1e3', 1n, 3],
  ['1E6', 1n, 6],
  ['1e9', 1n, 9],
  ['1E12', 1n, 12],
  ['1e15', 1n, 15],
  ['1E18', 1n, 18],
  ['1e14', 1n, 14],
  ['1e13', 1n, 13],
  ['1e3', 1n, 3],
  ['100.035k', 100035n, 0],
  ['0.001', 1n, -3],
  ['0.0005k', 5n, -1],
  ['0.005', 5n, -3],
  ['0.05', 5n, -2],
  ['0.5', 5n, -1],
  ['0.00050k', 5n, -1],
  ['0.00500', 5n, -3],
  ['0.05000', 5n, -2],
  ['0.50000', 5n, -1],
  ['0.5e0', 5n, -1],
  ['0.5e-1', 5n, -2],
  ['0.5e-2', 5n, -3],
  ['0.5e0', 5n, -1],
  ['10.035M', 10035n, 3],
  ['1.2e3', 12n, 2],
  ['1.3E+6', 13n, 5],
  ['1.40e9', 14n, 8],
  ['1.53E12', 153n, 10],
  ['1.6e15', 16n, 14],
  ['1.7E18', 17n, 17],
  ['9.01', 901n, -2],
  ['8.1k', 81n, 2],
  ['7.123456M', 7123456n, 0],
  ['6.987654321G', 6987654321n, 0],
  ['5.444T', 5444n, 9],
  ['40.1T', 401n, 11],
  ['300.2T', 3002n, 11],
  ['2.5P', 25n, 14],
  ['1.01E', 101n, 16],
  ['3.001n', 4n, -9],
  ['1.1E-9', 2n, -9],
  ['0.0000000001', 1n, -9],
  ['0.0000000005', 1n, -9],
  ['0.00000000050', 1n, -9],
  ['0.5e-9', 1n, -9],
  ['0.9n', 1n, -9],
  ['0.00000012345', 124n, -9],
  ['0.00000012354', 124n, -9],
  ['9Ei', 9223372036854775807n, 0],
  ['9223372036854775807Ki', 9223372036854775807n, 0],
  ['12E', 12n, 18],
  ['100.035Ki', 10243584n, -2],
  ['0.5Mi', 524288n, 0],
  ['0.05Gi', 536870912n, -1],
  ['0.025Ti', 274877906944n, -1],
  ['0.000000000001Ki', 2n, -9],
  ['.001', 1n, -3],
  ['.0001k', 100n, -3],
  ['1.', 1n, 0],
  ['1.G', 1n, 9],
]

describe('quantity_test.go TestQuantityParse (apimachinery)', () => {
  const expected = (unscaled: bigint, exponent: number, negative = false): string =>
    `${negative ? '-' : ''}${unscaled}e${exponent}`
  it.each(parseTable)('%s is %s e%s, and so are -%s and +%s', (input, unscaled, exponent) => {
    for (const [prefix, negative] of [
      ['', false],
      ['-', true],
      ['+', false],
    ] as const) {
      const got = parseQuantity(prefix + input)
      const want = parseQuantity(expected(unscaled, exponent, negative))
      if (typeof got === 'string' || typeof want === 'string')
        throw new Error(`${input}: ${String(got)}`)
      expect([prefix + input, got.equals(want)]).toEqual([prefix + input, true])
    }
  })

  it.each([
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    'aoeu',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    ' 1',
    '1 ',
  ])('%j is refused', (input) => {
    expect(typeof parseQuantity(input)).toBe('string')
  })

  it('the empty string is refused with the format error', () => {
    expect(parseQuantity('')).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    )
  })
})
