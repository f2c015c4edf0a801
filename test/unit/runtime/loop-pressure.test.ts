/** Busy or not, from the event loop's utilization over the last interval; never keeps the process alive. */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { EventLoopUtilization } from 'node:perf_hooks'
import {
  LoopPressure,
  systemUtilization,
  type UtilizationSampler,
} from '../../../src/runtime/loop-pressure.js'

/** A sampler answering the utilizations given, one per reading, and the reading it was handed. */
function scripted(values: number[]): { sampler: UtilizationSampler; previous: unknown[] } {
  const previous: unknown[] = []
  let n = 0
  const sampler: UtilizationSampler = (prev) => {
    previous.push(prev)
    const reading: EventLoopUtilization = { idle: n, active: n, utilization: 0 }
    return { utilization: values[n++] ?? 0, reading }
  }
  return { sampler, previous }
}

const made: LoopPressure[] = []
afterEach(() => {
  while (made.length > 0) made.pop()?.stop()
})
function pressure(values: number[], thresholds: { busyAt?: number; idleBelow?: number } = {}) {
  const s = scripted(values)
  // An hour-long interval: only explicit samples count in these tests.
  const p = new LoopPressure({ sampler: s.sampler, intervalMs: 3_600_000, ...thresholds })
  made.push(p)
  return { p, previous: s.previous }
}

describe('LoopPressure', () => {
  it('is not busy before its first interval', () => {
    expect(pressure([0.99]).p.busy).toBe(false)
  })

  it('turns busy at busyAt and idle again only below idleBelow', () => {
    const { p } = pressure([0, 0.59, 0.6, 0.95, 0.5, 0.45, 0.44, 0.59, 0.6], {
      busyAt: 0.6,
      idleBelow: 0.45,
    })
    const seen: boolean[] = []
    for (let i = 0; i < 8; i++) {
      p.sample()
      seen.push(p.busy)
    }
    expect(seen).toEqual([false, true, true, true, true, false, false, true])
  })

  it('measures each interval from the reading before it', () => {
    const { p, previous } = pressure([0, 0.1, 0.2])
    p.sample()
    p.sample()
    expect(previous).toEqual([
      undefined,
      { idle: 0, active: 0, utilization: 0 },
      { idle: 1, active: 1, utilization: 0 },
    ])
  })

  it('defaults to busy from 0.9 and idle below 0.7: only a loop near saturation', () => {
    const { p } = pressure([0, 0.89, 0.9, 0.7, 0.69])
    const seen: boolean[] = []
    for (let i = 0; i < 4; i++) {
      p.sample()
      seen.push(p.busy)
    }
    expect(seen).toEqual([false, true, true, false])
  })

  it('refuses an idle threshold above the busy one', () => {
    expect(() => new LoopPressure({ busyAt: 0.5, idleBelow: 0.6 })).toThrow(RangeError)
  })
})

describe('systemUtilization', () => {
  it('reads a share between 0 and 1 of the loop, since the reading it is given', () => {
    const first = systemUtilization(undefined)
    const spinUntil = Date.now() + 20
    while (Date.now() < spinUntil) {
      // keep the loop busy
    }
    const next = systemUtilization(first.reading)
    expect(next.utilization).toBeGreaterThan(0.5)
    expect(next.utilization).toBeLessThanOrEqual(1)
  })
})
