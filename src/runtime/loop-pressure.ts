/**
 * Whether the event loop is busy: the share of the last sampling interval
 * it spent running code rather than waiting for I/O (node's event-loop
 * utilization), compared with two thresholds: busy from `busyAt`, idle again
 * only below `idleBelow`, so that work moved off the loop (which lowers the
 * utilization) does not flip it back at once.
 * Read on a hot path, so it is a field updated by a timer, not a
 * measurement per call.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks'

/** The utilization of the loop since `previous`, and the reading to pass next time. */
export type UtilizationSampler = (previous: EventLoopUtilization | undefined) => {
  utilization: number
  reading: EventLoopUtilization
}

export const systemUtilization: UtilizationSampler = (previous) => {
  const reading = performance.eventLoopUtilization()
  const utilization =
    previous === undefined
      ? reading.utilization
      : performance.eventLoopUtilization(reading, previous).utilization
  return { utilization, reading }
}

export interface LoopPressureOptions {
  /** Busy from this utilization. Default 0.9: a loop near saturation. */
  readonly busyAt?: number
  /** Idle again below this utilization. Default 0.7. */
  readonly idleBelow?: number
  /** How often the utilization is sampled. Default 100 ms. */
  readonly intervalMs?: number
  readonly sampler?: UtilizationSampler
}

export class LoopPressure {
  readonly #busyAt: number
  readonly #idleBelow: number
  readonly #sampler: UtilizationSampler
  readonly #timer: NodeJS.Timeout
  #previous: EventLoopUtilization | undefined
  #busy = false

  constructor(options: LoopPressureOptions = {}) {
    this.#busyAt = options.busyAt ?? 0.9
    this.#idleBelow = options.idleBelow ?? 0.7
    if (!(this.#idleBelow <= this.#busyAt)) throw new RangeError('idleBelow must not exceed busyAt')
    this.#sampler = options.sampler ?? systemUtilization
    this.#previous = this.#sampler(undefined).reading
    this.#timer = setInterval(() => this.sample(), options.intervalMs ?? 100)
    // A reading of the loop never keeps the process alive.
    this.#timer.unref()
  }

  /** True from an interval at or above `busyAt` until one below `idleBelow`. */
  get busy(): boolean {
    return this.#busy
  }

  /** Takes a reading now (the timer does this every interval). */
  sample(): void {
    const { utilization, reading } = this.#sampler(this.#previous)
    this.#previous = reading
    this.#busy = utilization >= (this.#busy ? this.#idleBelow : this.#busyAt)
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}

let shared: LoopPressure | undefined

/** The process's loop pressure, started on first use. */
export function loopPressure(): LoopPressure {
  return (shared ??= new LoopPressure())
}
