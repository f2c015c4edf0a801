import { describe, expect, it } from '@jest/globals'
import { goDecodeUtf8 } from '../../../src/go/utf8.js'

describe('goDecodeUtf8', () => {
  it.each([
    { name: 'valid text is unchanged, BOM kept', hex: 'efbbbf636166c3a9', want: '\ufeffcafé' },
    { name: 'a stray continuation byte', hex: '618062', want: 'a\ufffdb' },
    { name: 'a truncated sequence: one U+FFFD per byte', hex: 'e2823a', want: '\ufffd\ufffd:' },
    {
      name: 'an encoded surrogate: one U+FFFD per byte',
      hex: 'eda080',
      want: '\ufffd\ufffd\ufffd',
    },
    { name: 'an overlong form', hex: 'c0af', want: '\ufffd\ufffd' },
    { name: 'above U+10FFFF', hex: 'f4908080', want: '\ufffd\ufffd\ufffd\ufffd' },
    { name: 'a four-byte sequence', hex: 'f09f9880', want: '\u{1f600}' },
  ])('$name', ({ hex, want }) => {
    expect(goDecodeUtf8(Buffer.from(hex, 'hex'))).toBe(want)
  })
})
