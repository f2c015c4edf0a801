/**
 * Whether the event loop is busy: the share of the last sampling interval
 * it spent running code rather than waiting for I/O (node's event-loop
 * utilization), compared with a threshold. It turns busy at the threshold
 * and idle again only below three quarters of it, so that work it moves off
 * the loop (which lowers the utilization) does not flip it back at once.
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
  /** Busy from this utilization; idle again below three quarters of it. Default 0.6. */
  readonly threshold?: number
  /** How often the utilization is sampled. Default 100 ms. */
  readonly intervalMs?: number
  readonly sampler?: UtilizationSampler
}

export class LoopPressure {
  readonly #threshold: number
  readonly #sampler: UtilizationSampler
  readonly #timer: NodeJS.Timeout
  #previous: EventLoopUtilization | undefined
  #busy = false

  constructor(options: LoopPressureOptions = {}) {
    this.#threshold = options.threshold ?? 0.6
    this.#sampler = options.sampler ?? systemUtilization
    this.#previous = this.#sampler(undefined).reading
    this.#timer = setInterval(() => this.sample(), options.intervalMs ?? 100)
    // A reading of the loop never keeps the process alive.
    this.#timer.unref()
  }

  /** True once an interval's utilization reached the threshold, until one falls below 3/4 of it. */
  get busy(): boolean {
    return this.#busy
  }

  /** Takes a reading now (the timer does this every interval). */
  sample(): void {
    const { utilization, reading } = this.#sampler(this.#previous)
    this.#previous = reading
    this.#busy = utilization >= (this.#busy ? this.#threshold * 0.75 : this.#threshold)
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
