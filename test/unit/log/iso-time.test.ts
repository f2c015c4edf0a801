/** The cached log timestamp is exactly Date's ISO form, whatever order instants come in. */
import { describe, expect, it } from '@jest/globals'
import { isoTime } from '../../../src/log/iso-time.js'

const at = (iso: string): number => Date.parse(iso)

describe('isoTime', () => {
  it.each([
    ['a millisecond in the middle of a second', at('2030-01-01T00:00:00.123Z')],
    ['the next millisecond of the same second', at('2030-01-01T00:00:00.124Z')],
    ['the last millisecond of a second', at('2030-01-01T00:00:00.999Z')],
    ['the first millisecond of the next second', at('2030-01-01T00:00:01.000Z')],
    ['an instant earlier than the one before', at('2029-12-31T23:59:59.001Z')],
    ['the epoch', 0],
    ['before the epoch', -1],
    ['a year past 9999 (longer form, not cached)', at('+010000-01-01T00:00:00.500Z')],
    ['a second after that, back in the usual range', at('2030-01-01T00:00:01.007Z')],
  ])('%s', (_name, ms) => {
    expect(isoTime(ms)).toBe(new Date(ms).toISOString())
  })

  it('defaults to now', () => {
    const before = Date.now()
    const stamped = Date.parse(isoTime())
    expect(stamped).toBeGreaterThanOrEqual(before)
    expect(stamped).toBeLessThanOrEqual(Date.now())
  })
})
