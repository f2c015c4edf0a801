/**
 * Named fixed instants for token tests (Kubernetes' oidc_test.go uses `now`,
 * `expired`, `valid`) and a clock that tests can step.
 */
import type { Clock } from '../../src/runtime/clock.js'

/** 2030-01-01T00:00:00Z: the "now" of every token test. */
export const NOW = new Date('2030-01-01T00:00:00.000Z')
/** `NOW` in Unix seconds. */
export const NOW_S = Math.floor(NOW.getTime() / 1000)
/** One hour after NOW: a comfortably valid `exp`. */
export const VALID_EXP_S = NOW_S + 3600
/** One second before NOW: an `exp` that is already past. */
export const EXPIRED_S = NOW_S - 1

/** Unix seconds at NOW plus `offset` seconds. */
export function at(offsetSeconds: number): number {
  return NOW_S + offsetSeconds
}

/** A clock standing still at an instant until told to move. */
export class SteppableClock implements Clock {
  private ms: number
  constructor(start: Date = NOW) {
    this.ms = start.getTime()
  }
  now(): Date {
    return new Date(this.ms)
  }
  set(date: Date): void {
    this.ms = date.getTime()
  }
  advance(ms: number): void {
    this.ms += ms
  }
}
