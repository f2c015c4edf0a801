import { performance } from 'node:perf_hooks'

/** A source of the current wall-clock time; injected so tests can use fixed instants. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that always answers the same instant (tests). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) }
}

/**
 * Milliseconds from an arbitrary origin that never go back: for lifetimes,
 * rate limits and deadlines, which must not jump when the wall clock does.
 */
export interface MonotonicClock {
  nowMs(): number
}

export const systemMonotonicClock: MonotonicClock = { nowMs: () => performance.now() }

/** A monotonic clock that moves only when told to (tests). */
export class ManualMonotonicClock implements MonotonicClock {
  #ms: number
  constructor(startMs = 0) {
    this.#ms = startMs
  }
  nowMs(): number {
    return this.#ms
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('a monotonic clock only moves forward')
    this.#ms += ms
  }
}
