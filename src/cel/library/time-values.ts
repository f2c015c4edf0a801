/**
 * cel-go's timestamp and duration values on top of cel-js's: a timestamp stays a
 * `Date` (so cel-js types it `google.protobuf.Timestamp`) carrying the nanoseconds
 * below the millisecond and the zone offset it was parsed with, which Go's
 * `time.Time` keeps and `string(timestamp)` prints; a duration stays cel-js's
 * `Duration`, read and built here as Go's int64 nanoseconds.
 */
import { Duration } from '@marcbachmann/cel-js/evaluator'
import type { GoTime } from '../../go/rfc3339-nano.js'
import { formatGoRfc3339Nano } from '../../go/rfc3339-nano.js'

const SUB_MILLISECOND_NANOS = Symbol('cel.timestamp.subMillisecondNanos')
const OFFSET_SECONDS = Symbol('cel.timestamp.offsetSeconds')

interface CelTimestamp extends Date {
  [SUB_MILLISECOND_NANOS]?: number
  [OFFSET_SECONDS]?: number
}

/** Seconds from 1970 to 0001-01-01T00:00:00Z and to 9999-12-31T23:59:59Z, cel-go's timestamp range. */
export const MIN_UNIX_SECONDS = -62135596800n
export const MAX_UNIX_SECONDS = 253402300799n

const NS_PER_SECOND = 1_000_000_000n
export const MAX_INT64 = (1n << 63n) - 1n
export const MIN_INT64 = -(1n << 63n)

/** Thrown by timestamp and duration operations, with cel-go's wording. */
export class CelTimeError extends Error {}

export const TIMESTAMP_OVERFLOW = 'timestamp overflow'
export const INTEGER_OVERFLOW = 'integer overflow'

export function isTimestamp(v: unknown): v is Date {
  return v instanceof Date
}

export function isDuration(v: unknown): v is Duration {
  return v instanceof Duration
}

/** A timestamp value; throws `timestamp overflow` outside cel-go's range. */
export function timestampOf(t: GoTime): Date {
  if (t.seconds < MIN_UNIX_SECONDS || t.seconds > MAX_UNIX_SECONDS) {
    throw new CelTimeError(TIMESTAMP_OVERFLOW)
  }
  const millis = Math.floor(t.nanos / 1_000_000)
  const value: CelTimestamp = new Date(Number(t.seconds) * 1000 + millis)
  const rest = t.nanos - millis * 1_000_000
  if (rest !== 0) value[SUB_MILLISECOND_NANOS] = rest
  if (t.offsetSeconds !== 0) value[OFFSET_SECONDS] = t.offsetSeconds
  return value
}

/** The Go time a timestamp value stands for (a plain cel-js `Date` is UTC, millisecond precision). */
export function goTimeOf(value: Date): GoTime {
  const v = value as CelTimestamp
  const ms = v.getTime()
  const seconds = Math.floor(ms / 1000)
  const nanos = (ms - seconds * 1000) * 1_000_000 + (v[SUB_MILLISECOND_NANOS] ?? 0)
  return { seconds: BigInt(seconds), nanos, offsetSeconds: v[OFFSET_SECONDS] ?? 0 }
}

/** Nanoseconds since the epoch. */
export function epochNanos(value: Date): bigint {
  const t = goTimeOf(value)
  return t.seconds * NS_PER_SECOND + BigInt(t.nanos)
}

/** cel-go `string(timestamp)`: `t.Format(time.RFC3339Nano)`. */
export function formatTimestamp(value: Date): string {
  return formatGoRfc3339Nano(goTimeOf(value))
}

/** A duration's length in nanoseconds (Go's time.Duration). */
export function durationNanos(d: Duration): bigint {
  return d.seconds * NS_PER_SECOND + BigInt(d.nanos)
}

/** A duration of `ns` nanoseconds; throws `integer overflow` outside int64, as cel-go's checked arithmetic does. */
export function durationOf(ns: bigint): Duration {
  if (ns > MAX_INT64 || ns < MIN_INT64) throw new CelTimeError(INTEGER_OVERFLOW)
  return new Duration(ns / NS_PER_SECOND, Number(ns % NS_PER_SECOND))
}

/**
 * cel-go `string(duration)`: `strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"`, the
 * float64 seconds in plain decimal with the fewest digits that read back the same.
 */
export function formatDuration(d: Duration | Date): string {
  // cel-js types `duration + timestamp` as a duration; the value is the timestamp.
  if (isTimestamp(d)) return formatTimestamp(d)
  const ns = durationNanos(d)
  const whole = ns / NS_PER_SECOND
  const seconds = Number(whole) + Number(ns - whole * NS_PER_SECOND) / 1e9
  return `${plainDecimal(seconds)}s`
}

/** Shortest round-trip digits of `v` without an exponent (Go's FormatFloat 'f', -1). */
function plainDecimal(v: number): string {
  if (v === 0) return '0'
  const [mantissa = '0', exp = '0'] = v.toExponential().split('e')
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  const point = Number(exp) + 1
  let out: string
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length)
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`
  return negative ? `-${out}` : out
}

/** cel-go's checked `timestamp + duration` (overflow.go `addTimeDurationChecked`), keeping the zone. */
export function addToTimestamp(value: Date, ns: bigint): Date {
  const t = goTimeOf(value)
  const total = t.seconds * NS_PER_SECOND + BigInt(t.nanos) + ns
  let seconds = total / NS_PER_SECOND
  let nanos = total - seconds * NS_PER_SECOND
  if (nanos < 0n) {
    seconds -= 1n
    nanos += NS_PER_SECOND
  }
  const sum = t.seconds + ns / NS_PER_SECOND
  if (sum > MAX_INT64 || sum < MIN_INT64) throw new CelTimeError(INTEGER_OVERFLOW)
  return timestampOf({ seconds, nanos: Number(nanos), offsetSeconds: t.offsetSeconds })
}

/** cel-go's checked `timestamp - timestamp` (overflow.go `subtractTimeChecked`). */
export function timestampDifference(a: Date, b: Date): Duration {
  return durationOf(epochNanos(a) - epochNanos(b))
}

/** -1, 0 or 1, as cel-go's Compare of two timestamps or two durations. */
export function compareTime(a: Date | Duration, b: Date | Duration): number {
  const x = isTimestamp(a) ? epochNanos(a) : durationNanos(a as Duration)
  const y = isTimestamp(b) ? epochNanos(b) : durationNanos(b as Duration)
  return x < y ? -1 : x > y ? 1 : 0
}
