import { describe, expect, it } from '@jest/globals'
import { formatDouble } from '../../../src/go/format-double.js'
import { unescapeFieldName } from '../../../src/cel/escaping.js'
import { evalClaims } from './helpers.js'

const claims = {
  s: 'Hello, World',
  u: 'ÀbC',
  n: 2.5,
  xs: ['b', 'a', 'c', 'a'],
  nums: [3, 1, 2],
  iss: 'https://Issuer.example:8443/p/a%20th?x=1&y=2&x=3',
}

describe('registered library functions', () => {
  it.each([
    // strings v2
    ['"abc".charAt(1)', 'b'],
    ['"abc".charAt(3)', ''],
    ['"abc".charAt(4)', { error: 'index out of range: 4', name: 'CelEvaluationError' }],
    ['claims.s.replace("o", "0")', 'Hell0, W0rld'],
    ['claims.s.replace("o", "0", 1)', 'Hell0, World'],
    ['"ab".replace("", "-")', '-a-b-'],
    ['claims.u.lowerAscii()', 'Àbc'],
    ['claims.u.upperAscii()', 'ÀBC'],
    ['"%s is %d, %.2f, %x".format([dyn("x"), dyn(42), dyn(1.5), dyn(255)])', 'x is 42, 1.50, ff'],
    [
      '"%d".format(["x"])',
      {
        error: 'error during formatting: decimal formatting clause requires an integer',
        name: 'CelEvaluationError',
      },
    ],
    ['"%s".format([claims.n])', '2.5'],
    ['strings.quote("a\\"b\\n")', '"a\\"b\\n"'],
    ['"a,b,c".split(",", 2)', ['a', 'b,c']],
    ['["a", "b"].join()', 'ab'],
    // sets
    ['sets.contains(claims.xs, ["a", "c"])', true],
    ['sets.contains(claims.xs, ["z"])', false],
    ['sets.equivalent([1, 2, 2], [2, 1])', true],
    ['sets.equivalent([1], [1.0])', true],
    ['sets.intersects(claims.xs, ["z", "c"])', true],
    ['sets.intersects(claims.xs, ["z"])', false],
    // Kubernetes lists
    ['[1, 2, 3].isSorted()', true],
    ['claims.xs.isSorted()', false],
    ['[1, 2, 3].sum()', 6n],
    ['claims.nums.sum()', 6],
    ['[].sum()', 0n],
    ['claims.nums.min()', 1],
    ['claims.xs.max()', 'c'],
    ['[].min()', { error: 'min called on empty list', name: 'CelEvaluationError' }],
    ['claims.xs.indexOf("a")', 1n],
    ['claims.xs.lastIndexOf("a")', 3n],
    ['claims.xs.indexOf("z")', -1n],
    // lists v3
    ['claims.xs.distinct()', ['b', 'a', 'c']],
    ['[[dyn(1)], [dyn(2), dyn([3])]].flatten()', [1n, 2n, [3n]]],
    ['[[dyn(1)], [dyn(2), dyn([3])]].flatten(2)', [1n, 2n, 3n]],
    ['lists.range(3)', [0n, 1n, 2n]],
    ['claims.xs.reverse()', ['a', 'c', 'a', 'b']],
    ['claims.xs.slice(1, 3)', ['a', 'c']],
    ['claims.xs.sort()', ['a', 'a', 'b', 'c']],
    // url
    ['url(claims.iss).getScheme()', 'https'],
    ['url(claims.iss).getHost()', 'Issuer.example:8443'],
    ['url(claims.iss).getHostname()', 'Issuer.example'],
    ['url(claims.iss).getPort()', '8443'],
    ['url(claims.iss).getEscapedPath()', '/p/a%20th'],
    ['url(claims.iss).getQuery()', { x: ['1', '3'], y: ['2'] }],
    ['url("https://[::1]:80/").getHostname()', '::1'],
    ['isURL(claims.iss)', true],
    ['isURL("not a url")', false],
    ['isURL("/relative/path")', true],
    [
      'url("x")',
      {
        error: 'URL parse error during conversion from string: invalid URI for request',
        name: 'CelEvaluationError',
      },
    ],
    // regex
    ['claims.s.matches("^Hello")', true],
    ['claims.s.matches("(?i)^hello")', true],
    ['matches(claims.s, "World$")', true],
    ['claims.s.find("[A-Z][a-z]+")', 'Hello'],
    ['claims.s.findAll("[A-Z]")', ['H', 'W']],
    ['claims.s.findAll("[a-z]", 2)', ['e', 'l']],
    ['claims.s.find("xyz")', ''],
  ])('%s', (expr, want) => {
    expect(evalClaims(expr, claims)).toEqual(want)
  })
})

describe('formatDouble (Go strconv g, -1)', () => {
  it.each([
    [123456789, '1.23456789e+08'],
    [1000000, '1e+06'],
    [123456, '123456'],
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [-2.5e-7, '-2.5e-07'],
    [0, '0'],
    [-0, '-0'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('%p -> %s', (v, want) => {
    expect(formatDouble(v)).toBe(want)
  })
})

describe('unescapeFieldName (escaping.go Unescape)', () => {
  it.each([
    ['plain', 'plain'],
    ['kubernetes__dot__io', 'kubernetes.io'],
    ['a__dash__b__slash__c', 'a-b/c'],
    ['x__underscores__y', 'x__y'],
    ['__namespace__', 'namespace'],
    ['__true__', 'true'],
    ['a__namespace__', undefined],
    ['my__tag__id', undefined],
    ['a__b', 'a__b'],
  ])('%s -> %p', (input, want) => {
    expect(unescapeFieldName(input)).toBe(want)
  })
})
