/** A source of the current time; injected so tests can use fixed instants. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that always answers the same instant (tests). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) }
}
