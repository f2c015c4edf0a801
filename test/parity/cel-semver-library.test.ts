/**
 * The Kubernetes semver library (version 1, with the normalising overloads) against
 * kube-apiserver's tables, transcribed from k8s.io/apiserver pkg/cel/library/semver_test.go
 * (TestSemver) and cost_test.go (TestSemverCost) at v0.37.0-beta.0 (c19df515293e,
 * Kubernetes 1.37.0-beta.0; unchanged on master), and blang/semver v4.0.0 behaviour
 * (the parser upstream uses) read from its semver.go.
 */
import { describe, expect, it } from '@jest/globals'
import { run, runWithCost } from './cel-library-run.js'

interface Case {
  name: string
  expr: string
  value?: unknown
  error?: string
  compileError?: string
}

const semverTest: Case[] = [
  { name: 'parse', expr: 'semver("1.2.3")', value: { semver: '1.2.3' } },
  {
    name: 'parseInvalidVersion',
    expr: 'semver("v1.0")',
    error: 'No Major.Minor.Patch elements found',
  },
  { name: 'isSemver', expr: 'isSemver("1.2.3-beta.1+build.1")', value: true },
  { name: 'isSemver_empty_false', expr: 'isSemver("")', value: false },
  { name: 'isSemver_v_prefix_false', expr: 'isSemver("v1.0.0")', value: false },
  { name: 'isSemver_v_leading_whitespace_false', expr: 'isSemver(" 1.0.0")', value: false },
  { name: 'isSemver_v_contains_whitespace_false', expr: 'isSemver("1. 0.0")', value: false },
  { name: 'isSemver_v_trailing_whitespace_false', expr: 'isSemver("1.0.0 ")', value: false },
  { name: 'isSemver_leading_zeros_false', expr: 'isSemver("01.01.01")', value: false },
  { name: 'isSemver_major_only_false', expr: 'isSemver("1")', value: false },
  { name: 'isSemver_major_minor_only_false', expr: 'isSemver("1.1")', value: false },
  { name: 'isSemver_empty_normalize_false', expr: 'isSemver("", true)', value: false },
  {
    name: 'isSemver_v_leading_whitespace_normalize_false',
    expr: 'isSemver(" 1.0.0", true)',
    value: false,
  },
  {
    name: 'isSemver_v_contains_whitespace_normalize_false',
    expr: 'isSemver("1. 0.0", true)',
    value: false,
  },
  {
    name: 'isSemver_v_trailing_whitespace_normalize_false',
    expr: 'isSemver("1.0.0 ", true)',
    value: false,
  },
  { name: 'isSemver_v_prefix_normalize_true', expr: 'isSemver("v1.0.0", true)', value: true },
  {
    name: 'isSemver_leading_zeros_normalize_true',
    expr: 'isSemver("01.01.01", true)',
    value: true,
  },
  { name: 'isSemver_major_only_normalize_true', expr: 'isSemver("1", true)', value: true },
  { name: 'isSemver_major_minor_only_normalize_true', expr: 'isSemver("1.1", true)', value: true },
  {
    name: 'isSemver_noOverload',
    expr: 'isSemver([1, 2, 3])',
    compileError: "found no matching overload for 'isSemver' applied to.*",
  },
  { name: 'equality_normalize', expr: 'semver("v01.01", true) == semver("1.1.0")', value: true },
  { name: 'equality_reflexivity', expr: 'semver("1.2.3") == semver("1.2.3")', value: true },
  { name: 'inequality', expr: 'semver("1.2.3") == semver("1.0.0")', value: false },
  { name: 'semver_less', expr: 'semver("1.0.0").isLessThan(semver("1.2.3"))', value: true },
  { name: 'semver_less_false', expr: 'semver("1.0.0").isLessThan(semver("1.0.0"))', value: false },
  { name: 'semver_greater', expr: 'semver("1.2.3").isGreaterThan(semver("1.0.0"))', value: true },
  {
    name: 'semver_greater_false',
    expr: 'semver("1.0.0").isGreaterThan(semver("1.0.0"))',
    value: false,
  },
  { name: 'compare_equal', expr: 'semver("1.2.3").compareTo(semver("1.2.3"))', value: 0n },
  { name: 'compare_less', expr: 'semver("1.0.0").compareTo(semver("1.2.3"))', value: -1n },
  { name: 'compare_greater', expr: 'semver("1.2.3").compareTo(semver("1.0.0"))', value: 1n },
  { name: 'major', expr: 'semver("1.2.3").major()', value: 1n },
  { name: 'minor', expr: 'semver("1.2.3").minor()', value: 2n },
  { name: 'patch', expr: 'semver("1.2.3").patch()', value: 3n },
]

function check(c: Case): void {
  const outcome = run(c.expr)
  if (c.compileError !== undefined) expect(outcome.compileError).toMatch(new RegExp(c.compileError))
  else if (c.error !== undefined)
    expect(outcome).toEqual({ error: expect.stringMatching(new RegExp(c.error)) })
  else expect(outcome).toEqual({ value: c.value })
}

describe('semver_test.go TestSemver', () => {
  it.each(semverTest)('$name: $expr', check)
})

describe('documented examples (semverlib.go)', () => {
  it.each<Case>([
    { name: 'prerelease', expr: 'semver("0.1.0-alpha.1")', value: { semver: '0.1.0-alpha.1' } },
    { name: '200K', expr: 'isSemver("200K")', value: false },
    { name: 'v prefix normalised', expr: 'semver("v1.0.0", true)', value: { semver: '1.0.0' } },
    { name: 'patch added', expr: 'semver("1.0", true)', value: { semver: '1.0.0' } },
    { name: 'zeros removed', expr: 'semver("01.01.01", true)', value: { semver: '1.1.1' } },
    { name: 'hello', expr: 'isSemver("hello")', value: false },
    { name: 'v1.0 without normalising', expr: 'isSemver("v1.0")', value: false },
    { name: 'v1.0 normalised', expr: 'isSemver("v1.0", true)', value: true },
    { name: 'compare to older', expr: 'semver("1.2.3").compareTo(semver("0.1.2"))', value: 1n },
  ])('$name: $expr', check)
})

/** blang/semver v4 Parse and Compare, and normalizeAndParse, as their code reads. */
describe('blang/semver rules', () => {
  it.each<Case>([
    { name: 'empty', expr: 'semver("")', error: '^Version string empty$' },
    {
      name: 'letters in major',
      expr: 'semver("a.1.1")',
      error: '^Invalid character\\(s\\) found in major number "a"$',
    },
    {
      name: 'leading zero in minor',
      expr: 'semver("1.01.1")',
      error: '^Minor number must not contain leading zeroes "01"$',
    },
    {
      name: 'empty major',
      expr: 'semver(".1.1")',
      error: '^strconv.ParseUint: parsing "": invalid syntax$',
    },
    {
      name: 'major beyond uint64',
      expr: 'semver("18446744073709551616.0.0")',
      error: '^strconv.ParseUint: parsing "18446744073709551616": value out of range$',
    },
    // types.Int(v.Major) turns a uint64 above 2^63 - 1 into a negative int64.
    { name: 'uint64 major wraps', expr: 'semver("18446744073709551615.0.0").major()', value: -1n },
    { name: 'empty prerelease', expr: 'semver("1.0.0-")', error: '^Prerelease is empty$' },
    {
      name: 'prerelease leading zero',
      expr: 'semver("1.0.0-01")',
      error: '^Numeric PreRelease version must not contain leading zeroes "01"$',
    },
    { name: 'empty build', expr: 'semver("1.0.0+")', error: '^Build meta data is empty$' },
    {
      name: 'bad build',
      expr: 'semver("1.0.0+a_b")',
      error: '^Invalid character\\(s\\) found in build meta data "a_b"$',
    },
    {
      name: 'bad patch',
      expr: 'semver("1.0.x")',
      error: '^Invalid character\\(s\\) found in patch number "x"$',
    },
    {
      name: 'short version with prerelease',
      expr: 'semver("1.0-rc", true)',
      error: '^short version cannot contain PreRelease/Build meta data$',
    },
    { name: 'only one v removed', expr: 'isSemver("vv1.0.0", true)', value: false },
    {
      name: 'build metadata ignored by ==',
      expr: 'semver("1.0.0+a") == semver("1.0.0+b")',
      value: true,
    },
    {
      name: 'release above prerelease',
      expr: 'semver("1.0.0").compareTo(semver("1.0.0-rc.1"))',
      value: 1n,
    },
    {
      name: 'numeric below alphanumeric',
      expr: 'semver("1.0.0-1").isLessThan(semver("1.0.0-a"))',
      value: true,
    },
    {
      name: 'numeric identifiers as numbers',
      expr: 'semver("1.0.0-rc.10").isGreaterThan(semver("1.0.0-rc.9"))',
      value: true,
    },
    {
      name: 'more identifiers rank higher',
      expr: 'semver("1.0.0-rc").isLessThan(semver("1.0.0-rc.1"))',
      value: true,
    },
    { name: 'hyphens in prerelease', expr: 'semver("1.0.0-rc-1.x--y").minor()', value: 0n },
    {
      name: 'no semver != operator quirk',
      expr: 'semver("1.0.0") != semver("1.0.1")',
      value: true,
    },
  ])('$name: $expr', check)
})

describe('cost_test.go TestSemverCost (runtime cost)', () => {
  it.each([
    ['semver("1.0.0")', 1],
    ['semver("1234.56789012345.67890123456789")', 4],
    ['isSemver("1.0.0")', 1],
    ['isSemver("1234.56789012345.67890123456789")', 4],
    ['semver("1.2.3").major()', 2],
    ['semver("1.2.3").minor()', 2],
    ['semver("1.2.3").patch()', 2],
    ['semver("1.0.0").isLessThan(semver("1.1.0"))', 3],
    ['semver("1.1.0").isGreaterThan(semver("1.0.0"))', 3],
    ['semver("1.0.0").compareTo(semver("1.2.3"))', 3],
  ])('%s costs %d', (expr, cost) => {
    expect(runWithCost(expr).cost).toBe(cost)
  })
})
