/** The clocks code is given: a manual monotonic clock fires its timers only when advanced, in order. */
import { describe, expect, it } from '@jest/globals'
import {
  fixedClock,
  ManualMonotonicClock,
  systemMonotonicClock,
} from '../../../src/runtime/clock.js'

describe('fixedClock', () => {
  it('always answers the same instant, as a fresh Date', () => {
    const at = new Date('2030-01-01T00:00:00Z')
    const clock = fixedClock(at)
    const first = clock.now()
    first.setFullYear(2000)
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z')
  })
})

describe('ManualMonotonicClock', () => {
  it('moves only when advanced, and never back', () => {
    const clock = new ManualMonotonicClock(5)
    expect(clock.nowMs()).toBe(5)
    clock.advance(10)
    expect(clock.nowMs()).toBe(15)
    expect(() => clock.advance(-1)).toThrow(RangeError)
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError)
    expect(clock.nowMs()).toBe(15)
  })

  it('fires each timer once it comes due, in due order, at its own instant', () => {
    const clock = new ManualMonotonicClock()
    const fired: string[] = []
    clock.startTimer(30, () => fired.push(`b@${clock.nowMs()}`))
    clock.startTimer(10, () => fired.push(`a@${clock.nowMs()}`))
    clock.startTimer(30, () => fired.push(`c@${clock.nowMs()}`))
    clock.advance(9)
    expect(fired).toEqual([])
    expect(clock.pendingTimers).toBe(3)
    clock.advance(100)
    expect(fired).toEqual(['a@10', 'b@30', 'c@30'])
    expect(clock.nowMs()).toBe(109)
    expect(clock.pendingTimers).toBe(0)
  })

  it('fires a timer started by another timer when the same advance reaches it', () => {
    const clock = new ManualMonotonicClock()
    const fired: number[] = []
    const every10 = (): void => {
      fired.push(clock.nowMs())
      clock.startTimer(10, every10)
    }
    clock.startTimer(10, every10)
    clock.advance(35)
    expect(fired).toEqual([10, 20, 30])
    expect(clock.pendingTimers).toBe(1)
  })

  it('never fires a cancelled timer; cancelling twice or after firing does nothing', () => {
    const clock = new ManualMonotonicClock()
    let fired = 0
    const cancel = clock.startTimer(10, () => fired++)
    cancel()
    cancel()
    clock.advance(20)
    expect(fired).toBe(0)
    const cancelLate = clock.startTimer(0, () => fired++)
    clock.advance(0)
    cancelLate()
    expect(fired).toBe(1)
  })
})

describe('systemMonotonicClock', () => {
  it('runs a timer on the event loop, cancellable before it fires', async () => {
    let cancelledFired = false
    const cancel = systemMonotonicClock.startTimer(0, () => (cancelledFired = true))
    cancel()
    await new Promise<void>((resolve) => systemMonotonicClock.startTimer(0, resolve))
    expect(cancelledFired).toBe(false)
    expect(systemMonotonicClock.nowMs()).toBeGreaterThan(0)
  })
})
