import { describe, expect, it } from '@jest/globals'
import {
  FieldError,
  duplicate,
  forbidden,
  invalid,
  required,
  tooMany,
} from '../../../src/config/field-error.js'
import { goQuote } from '../../../src/go/quote.js'

describe('FieldError prints like apimachinery field.Error', () => {
  it.each([
    { err: required('a.b'), want: 'a.b: Required value' },
    {
      err: required('a', 'claim or expression is required'),
      want: 'a: Required value: claim or expression is required',
    },
    { err: invalid('a', 'x"y', 'bad'), want: 'a: Invalid value: "x\\"y": bad' },
    { err: invalid('a', 5, 'bad'), want: 'a: Invalid value: 5: bad' },
    { err: invalid('a', true, 'bad'), want: 'a: Invalid value: true: bad' },
    { err: invalid('a', null, 'bad'), want: 'a: Invalid value: null: bad' },
    { err: invalid('a', ['x'], 'bad'), want: 'a: Invalid value: ["x"]: bad' },
    { err: duplicate('a[1]', 'x'), want: 'a[1]: Duplicate value: "x"' },
    { err: forbidden('anonymous', 'no'), want: 'anonymous: Forbidden: no' },
    { err: tooMany('jwt', 65, 64), want: 'jwt: Too many: 65: must have at most 64 items' },
    { err: tooMany('jwt', 2, 1), want: 'jwt: Too many: 2: must have at most 1 item' },
    { err: new FieldError('a', 'Internal error', 'x', 'boom'), want: 'a: Internal error: boom' },
  ])('$want', ({ err, want }) => {
    expect(String(err)).toBe(want)
  })
})

describe('goQuote is strconv.Quote', () => {
  it.each([
    ['plain', '"plain"'],
    ['tab\there', '"tab\\there"'],
    ['bell\x07', '"bell\\a"'],
    ['nul\x00', '"nul\\x00"'],
    ['del\x7f', '"del\\x7f"'],
    ['back\\slash', '"back\\\\slash"'],
    ['héllo 世界', '"héllo 世界"'],
    ['line\u2028sep', '"line\\u2028sep"'],
    ['zero\u200bwidth', '"zero\\u200bwidth"'],
  ])('%j', (input, want) => {
    expect(goQuote(input)).toBe(want)
  })
})
