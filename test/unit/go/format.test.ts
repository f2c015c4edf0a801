/** Go's quoting and time formatting, as they appear inside kube-apiserver's messages. */
import { describe, expect, it } from '@jest/globals'
import { goQuote } from '../../../src/go/quote.js'
import { goQuoteList, goTime, goUnixTime } from '../../../src/go/format.js'

describe('Go formatting', () => {
  it.each([
    ['plain', 'abc', '"abc"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['control characters', 'a\nb\x01', '"a\\nb\\x01"'],
    ['unicode kept', 'é', '"é"'],
  ])('goQuote %s', (_n, input, want) => expect(goQuote(input)).toBe(want))
  it('goQuoteList', () => {
    expect(goQuoteList(['a', 'b'])).toBe('["a" "b"]')
    expect(goQuoteList(undefined)).toBe('[]')
  })
  it('goTime', () => {
    expect(goTime(new Date('2030-01-01T00:00:00.120Z'))).toBe('2030-01-01 00:00:00.12 +0000 UTC')
    expect(goUnixTime(0)).toBe('1970-01-01 00:00:00 +0000 UTC')
  })
})
