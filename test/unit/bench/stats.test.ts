import { describe, expect, it } from '@jest/globals'
import { median, percentile, summarizeLatencies } from '../../../bench/stats.js'

describe('median', () => {
  it.each([
    { values: [3, 1, 2], want: 2 },
    { values: [4, 1, 3, 2], want: 2.5 },
    { values: [7], want: 7 },
    { values: [], want: Number.NaN },
  ])('median($values) = $want', ({ values, want }) => {
    expect(median(values)).toBe(want)
  })
})

describe('percentile (nearest rank)', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1)
  it.each([
    { p: 50, want: 50 },
    { p: 99, want: 99 },
    { p: 100, want: 100 },
    { p: 0, want: 1 },
    { p: 99.5, want: 100 },
  ])('p$p of 1..100 = $want', ({ p, want }) => {
    expect(percentile(hundred, p)).toBe(want)
  })

  it('summarizes unsorted samples', () => {
    expect(summarizeLatencies(Float64Array.from([5, 1, 4, 2, 3]))).toEqual({
      p50: 3,
      p90: 5,
      p99: 5,
      max: 5,
      samples: 5,
    })
  })
})
