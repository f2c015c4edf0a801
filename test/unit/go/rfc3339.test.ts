import { describe, expect, it } from '@jest/globals'
import { formatRfc3339, parseRfc3339 } from '../../../src/go/rfc3339.js'

describe('parseRfc3339 (Go time.RFC3339)', () => {
  it.each([
    ['2026-12-03T10:00:00Z', Date.UTC(2026, 11, 3, 10)],
    ['2026-12-03T12:00:00+02:00', Date.UTC(2026, 11, 3, 10)],
    ['2026-12-03T05:30:00-04:30', Date.UTC(2026, 11, 3, 10)],
    ['2026-12-03T10:00:00.5Z', Date.UTC(2026, 11, 3, 10, 0, 0, 500)],
    ['2026-12-03T10:00:00.123456789Z', Date.UTC(2026, 11, 3, 10, 0, 0, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
  ])('%s', (text, want) => {
    expect(parseRfc3339(text)).toBe(want)
  })

  it.each([
    ['no zone', '2026-12-03T10:00:00'],
    ['a date only', '2026-12-03'],
    ['a space for T', '2026-12-03 10:00:00Z'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '1900-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-12-03T24:00:00Z'],
    ['second 60', '2026-12-03T23:59:60Z'],
    ['an offset hour of 24', '2026-12-03T10:00:00+24:00'],
    ['ten fraction digits', '2026-12-03T10:00:00.1234567890Z'],
    ['trailing text', '2026-12-03T10:00:00Z '],
  ])('refuses %s', (_name, text) => {
    expect(parseRfc3339(text)).toBeUndefined()
  })
})

describe('formatRfc3339', () => {
  it('prints whole seconds without a fraction and milliseconds when there are some', () => {
    expect(formatRfc3339(Date.UTC(2026, 11, 3, 10))).toBe('2026-12-03T10:00:00Z')
    expect(formatRfc3339(Date.UTC(2026, 11, 3, 10, 0, 0, 250))).toBe('2026-12-03T10:00:00.250Z')
  })
})
