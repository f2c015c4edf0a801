/** Mapping results as string lists, and the native []string quirk of a bare split. */
import { describe, expect, it } from '@jest/globals'
import { outermostCallIsNativeList, toStringList } from '../../../src/token/string-list.js'

describe('native []string quirk (bare split)', () => {
  it.each([
    ['claims.roles.split(",")', true],
    [' claims.roles.split( "," ) ', true],
    ['claims.r.findAll("[a-z]+")', true],
    ['claims.roles.split(",").map(r, r)', false],
    ['claims.roles.split(",").filter(r, r != "")', false],
    ['claims.a.split(",") + claims.b.split(",")', false],
    ['has(claims.a) ? claims.a.split(",") : []', false],
    ['claims.roles.split(",")[0]', false],
    ['"a.split(x)"', false],
    ['claims.groups', false],
  ])('%s -> %s', (expr, want) => expect(outermostCallIsNativeList(expr)).toBe(want))

  it.each([
    ['string', 'a', false, ['a']],
    ['empty string', '', false, []],
    ['null', null, false, []],
    ['list with empties', ['a', '', 'b'], false, ['a', 'b']],
  ])('toStringList %s', (_n, value, native, want) =>
    expect(toStringList(value, native)).toEqual(want),
  )
  it('toStringList refuses a native list and non-strings', () => {
    expect(() => toStringList(['a'], true)).toThrow(
      'expression must return a string or a list of strings',
    )
    expect(() => toStringList(5, false)).toThrow(
      'expression must return a string or a list of strings',
    )
    expect(() => toStringList([true], false)).toThrow(
      'expression must return a string or a list of strings',
    )
  })
})
