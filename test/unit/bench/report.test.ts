import { describe, expect, it } from '@jest/globals'
import { goalTable, pairedRatios, type Measurement } from '../../../bench/report.js'
import { parseOptions } from '../../../bench/options.js'

function m(arm: string, round: number, cpuUsPerReview: number): Measurement {
  return {
    phase: 'issuers-64',
    arm,
    round,
    reviews: 1000,
    reviewsPerSec: 1000,
    cpuUsPerReview,
    cpuSplitUs: {
      mainUser: cpuUsPerReview * 0.7,
      mainSystem: cpuUsPerReview * 0.2,
      helpers: cpuUsPerReview * 0.1,
    },
    serverCores: 0.5,
    loadCores: 0.1,
    p50Ms: 1,
    p99Ms: 2,
    rssMiB: 100,
    failed: 0,
    incomplete: 0,
  }
}

describe('pairedRatios', () => {
  it('divides the two arms of the same round, never across rounds', () => {
    const measurements = [
      m('service', 0, 100),
      m('service-64', 0, 110),
      m('service', 1, 200),
      m('service-64', 1, 190),
      // round 2 has no partner: left out
      m('service-64', 2, 500),
    ]
    const ratios = pairedRatios(
      measurements,
      'issuers-64',
      'service-64',
      'service',
      (x) => x.cpuUsPerReview,
    )
    expect(ratios).toEqual([1.1, 0.95])
  })

  it('ignores other phases', () => {
    const other = { ...m('service', 0, 1), phase: 'cached' }
    expect(
      pairedRatios(
        [other, m('service-64', 0, 5)],
        'issuers-64',
        'service-64',
        'service',
        (x) => x.cpuUsPerReview,
      ),
    ).toEqual([])
  })
})

describe('goalTable', () => {
  it('prints the verdict and the spread of the rounds behind the median', () => {
    const text = goalTable([
      {
        name: 'CPU per review, 64 issuers vs 1 (service)',
        measured: 3.5,
        unit: '%',
        target: '<= +10 %',
        pass: true,
        rounds: [-0.8, 1, 5.7, 3.5, 5.9],
      },
      { name: 'peak RSS', measured: 176.4, unit: 'MiB', target: '< 200 MiB', pass: false },
    ])
    const [header, first, second] = text.split('\n')
    expect(header).toContain('rounds (min .. max)')
    expect(first).toMatch(/3\.50 %\s+<= \+10 %\s+PASS\s+-0\.80 \.\. 5\.90$/)
    expect(second).toMatch(/176 MiB\s+< 200 MiB\s+FAIL\s+-$/)
  })
})

describe('bench options', () => {
  it('runs the issuers-64 phase for at least 5 rounds at 1000 reviews/s', () => {
    expect(parseOptions([]).issuerRounds).toBe(5)
    expect(parseOptions(['--rounds', '7']).issuerRounds).toBe(7)
    expect(parseOptions(['--quick']).issuerRate).toBe(1000)
  })
})

describe('parseOptions --compare', () => {
  it('takes another entry point, in both spellings, and is absent by default', () => {
    expect(parseOptions([]).compareCli).toBeUndefined()
    expect(parseOptions(['--compare', '../old/dist/cli.js']).compareCli).toBe('../old/dist/cli.js')
    expect(parseOptions(['--compare=/tmp/b/dist/cli.js']).compareCli).toBe('/tmp/b/dist/cli.js')
  })

  it('refuses an unknown flag beside it', () => {
    expect(() => parseOptions(['--compare', 'x.js', '--comparison'])).toThrow(
      'unknown flag --comparison',
    )
  })
})
