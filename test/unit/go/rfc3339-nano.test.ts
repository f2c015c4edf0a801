import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  civilFromDays,
  daysFromCivil,
  formatGoRfc3339Nano,
  parseGoRfc3339,
} from '../../../src/go/rfc3339-nano.js'

describe('civil dates', () => {
  it.each([
    [1970, 1, 1, 0],
    [1969, 12, 31, -1],
    [2000, 2, 29, 11016],
    [1, 1, 1, -719162],
    [9999, 12, 31, 2932896],
  ])('%i-%i-%i is day %i', (year, month, day, days) => {
    expect(daysFromCivil(year, month, day)).toBe(days)
    expect(civilFromDays(days)).toEqual({ year, month, day })
  })

  it('agrees with Date for every day from year 1 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
        const d = new Date(days * 86_400_000)
        expect(civilFromDays(days)).toEqual({
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
        })
      }),
    )
  })
})

describe('parseGoRfc3339 and formatGoRfc3339Nano', () => {
  it.each([
    ['2006-01-02T15:04:05Z', { seconds: 1136214245n, nanos: 0, offsetSeconds: 0 }],
    ['2006-01-02T15:04:05.000000001Z', { seconds: 1136214245n, nanos: 1, offsetSeconds: 0 }],
    ['2006-01-02T15:04:05-07:00', { seconds: 1136239445n, nanos: 0, offsetSeconds: -25200 }],
    ['1969-12-31T23:59:59.5Z', { seconds: -1n, nanos: 500_000_000, offsetSeconds: 0 }],
  ])('%s', (text, time) => {
    expect(parseGoRfc3339(text)).toEqual(time)
    expect(formatGoRfc3339Nano(time)).toBe(text)
  })

  it.each([
    '2006-01-02T15:04:05',
    '2006-01-02 15:04:05Z',
    '2006-01-02T15:04:05.Z',
    '2006-02-30T15:04:05Z',
    '2006-01-02T15:04:05+25:00',
    '2006-01-02T15:04:05+01:61',
  ])('refuses %s', (text) => {
    expect(parseGoRfc3339(text)).toBeUndefined()
  })

  it('formats what it parses back to the same instant and offset', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -62135596800n, max: 253402300799n }),
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: -1440, max: 1440 }),
        (seconds, nanos, offsetMinutes) => {
          const time = { seconds, nanos, offsetSeconds: offsetMinutes * 60 }
          // Only local times RFC 3339's four-digit year can hold.
          const local = seconds + BigInt(offsetMinutes * 60)
          fc.pre(local >= -62135596800n && local <= 253402300799n)
          const parsed = parseGoRfc3339(formatGoRfc3339Nano(time))
          expect(parsed).toEqual(offsetMinutes === 0 ? { ...time, offsetSeconds: 0 } : time)
        },
      ),
    )
  })
})
