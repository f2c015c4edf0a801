/**
 * cel-go's operators on timestamps and durations (common/types/timestamp.go,
 * duration.go, overflow.go): nanosecond arithmetic, the zone kept through `+` and `-`,
 * `timestamp overflow` past year 9999 or before year 1, `integer overflow` past
 * int64 nanoseconds. cel-js computes these on millisecond `Date`s without bounds.
 */
import type { Duration } from '@marcbachmann/cel-js/evaluator'
import {
  addToTimestamp,
  compareTime,
  durationNanos,
  durationOf,
  isDuration,
  isTimestamp,
  timestampDifference,
} from './time-values.js'

/** The result of `left op right` when cel-go defines it on these time values, else `undefined`. */
export function timeOperation(
  op: string,
  left: unknown,
  right: unknown,
): { value: unknown } | undefined {
  const leftTs = isTimestamp(left)
  const rightTs = isTimestamp(right)
  const leftDur = isDuration(left)
  const rightDur = isDuration(right)
  if (!(leftTs || leftDur) || !(rightTs || rightDur)) return undefined
  switch (op) {
    case '+':
      if (leftTs && rightDur) return { value: addToTimestamp(left, durationNanos(right)) }
      if (leftDur && rightTs) return { value: addToTimestamp(right, durationNanos(left)) }
      if (leftDur && rightDur)
        return { value: durationOf(durationNanos(left) + durationNanos(right)) }
      return undefined
    case '-':
      if (leftTs && rightDur) {
        return { value: addToTimestamp(left, durationNanos(negateDuration(right))) }
      }
      if (leftTs && rightTs) return { value: timestampDifference(left, right) }
      if (leftDur && rightDur)
        return { value: durationOf(durationNanos(left) - durationNanos(right)) }
      return undefined
  }
  if (leftTs !== rightTs) return undefined
  const order = compareTime(left as Date | Duration, right as Date | Duration)
  switch (op) {
    case '==':
      return { value: order === 0 }
    case '!=':
      return { value: order !== 0 }
    case '<':
      return { value: order < 0 }
    case '<=':
      return { value: order <= 0 }
    case '>':
      return { value: order > 0 }
    case '>=':
      return { value: order >= 0 }
  }
  return undefined
}

/** cel-go's checked `-duration`. */
export function negateDuration(d: Duration): Duration {
  return durationOf(-durationNanos(d))
}
