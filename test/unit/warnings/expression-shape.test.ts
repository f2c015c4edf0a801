/** The literal start every result of a mapping expression shares, as the warnings read it. */
import { describe, expect, it } from '@jest/globals'
import { EMAIL_SHAPE, expressionShape } from '../../../src/warnings/expression-shape.js'
import { canStartWith, overlaps, type StringShape } from '../../../src/warnings/string-shape.js'

const any: StringShape = { prefix: '', exact: false, excludes: [] }
const prefix = (p: string, excludes: string[] = []): StringShape => ({
  prefix: p,
  exact: false,
  excludes,
})
const exact = (v: string): StringShape => ({ prefix: v, exact: true, excludes: [] })

describe('expressionShape', () => {
  it.each<[string, StringShape]>([
    ["'ci-bot'", exact('ci-bot')],
    ["'gh:' + claims.sub", prefix('gh:')],
    ["'gh:' + 'repo:' + claims.sub", prefix('gh:repo:')],
    ['claims.sub', any],
    ['claims.email', EMAIL_SHAPE],
    ["'dex:' + claims.email", prefix('dex:', ['dex:system:'])],
    ["claims.sub + ':x'", any],
    ["has(claims.a) ? 'a:' + claims.a : 'a:none'", prefix('a:')],
    ["has(claims.a) ? 'ab:' + claims.a : 'ac:' + claims.b", prefix('a')],
    ["claims.groups.map(g, 'gl:' + g)", prefix('gl:')],
    ["claims.groups.map(g, g.size() > 0, 'gl:' + g)", prefix('gl:')],
    ["claims.groups.filter(g, !g.startsWith('system:'))", prefix('', ['system:'])],
    [
      "claims.groups.filter(g, g != '' && !g.startsWith('system:')).map(g, g)",
      prefix('', ['system:']),
    ],
    ["['x:' + claims.a, 'x:y']", prefix('x:')],
    ["['x:a'] + claims.groups.map(g, 'x:' + g)", prefix('x:')],
    ["claims.?groups.orValue([]).map(g, 'e:' + g)", prefix('e:')],
    ["claims.?name.orValue('n:anonymous')", any],
    ["'repo:%s:env'.format([claims.r])", prefix('repo:')],
    ['claims.sub.lowerAscii()', any],
    ['not valid (', any],
  ])('%s', (expression, shape) => {
    expect(expressionShape(expression)).toEqual(shape)
  })
})

describe('shapes', () => {
  it.each<[string, StringShape, string, boolean]>([
    ['any string', any, 'system:', true],
    ['a prefix', prefix('oidc:'), 'system:', false],
    ['a prefix that is the start of system:', prefix('sys'), 'system:', true],
    ['an email', EMAIL_SHAPE, 'system:', false],
    ['an exact value', exact('system:admin'), 'system:', true],
  ])('%s can start with %s', (_name, shape, start, want) => {
    expect(canStartWith(shape, start)).toBe(want)
  })

  it.each<[string, StringShape, StringShape, boolean]>([
    ['two unprefixed', any, any, true],
    ['same prefix', prefix('a:'), prefix('a:'), true],
    ['one prefix extending the other', prefix('a:'), prefix('a:b:'), true],
    ['distinct prefixes', prefix('a:'), prefix('b:'), false],
    ['unprefixed and prefixed', any, prefix('b:'), true],
    ['two different constants', exact('x'), exact('y'), false],
    ['a constant under a prefix', exact('a:bot'), prefix('a:'), true],
    ['a constant the other excludes', exact('system:x'), prefix('', ['system:']), false],
  ])('%s: overlap %s', (_name, a, b, want) => {
    expect(overlaps(a, b)).toBe(want)
    expect(overlaps(b, a)).toBe(want)
  })
})
