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

/** Stops a timer that has not fired yet; does nothing once it has. */
export type CancelTimer = () => void

/**
 * Milliseconds from an arbitrary origin that never go back, and timers on the
 * same time line: for lifetimes, rate limits, retries and deadlines, which must
 * not jump when the wall clock does (Kubernetes' `clock.Clock` with `AfterFunc`).
 */
export interface MonotonicClock {
  nowMs(): number
  /**
   * Calls `fn` once, `ms` from now, unless cancelled first. The timer never
   * keeps the process alive on its own.
   */
  startTimer(ms: number, fn: () => void): CancelTimer
}

export const systemMonotonicClock: MonotonicClock = {
  nowMs: () => performance.now(),
  startTimer(ms, fn) {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return () => clearTimeout(timer)
  },
}

interface ManualTimer {
  readonly dueMs: number
  readonly seq: number
  readonly fn: () => void
}

/**
 * A monotonic clock that moves only when told to (tests): `advance` fires the
 * timers that come due, in order, each at its own instant.
 */
export class ManualMonotonicClock implements MonotonicClock {
  #ms: number
  #seq = 0
  readonly #timers = new Set<ManualTimer>()

  constructor(startMs = 0) {
    this.#ms = startMs
  }

  nowMs(): number {
    return this.#ms
  }

  startTimer(ms: number, fn: () => void): CancelTimer {
    const timer: ManualTimer = { dueMs: this.#ms + Math.max(0, ms), seq: this.#seq++, fn }
    this.#timers.add(timer)
    return () => {
      this.#timers.delete(timer)
    }
  }

  /** Timers started and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.#timers.size
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('a monotonic clock only moves forward')
    const target = this.#ms + ms
    for (let next = this.#nextDue(target); next !== undefined; next = this.#nextDue(target)) {
      this.#timers.delete(next)
      this.#ms = next.dueMs
      next.fn()
    }
    this.#ms = target
  }

  #nextDue(target: number): ManualTimer | undefined {
    let next: ManualTimer | undefined
    for (const timer of this.#timers) {
      if (timer.dueMs > target) continue
      if (
        next === undefined ||
        timer.dueMs < next.dueMs ||
        (timer.dueMs === next.dueMs && timer.seq < next.seq)
      )
        next = timer
    }
    return next
  }
}
