/**
 * cel-go's timestamp and duration functions (common/types/timestamp.go, duration.go,
 * common/stdlib/standard.go), registered under internal names (rename.ts) because
 * cel-js's own differ: `timestamp(string)` with Go's RFC 3339 rules and nanoseconds,
 * `timestamp(int)`, `duration(string)` with Go's `time.ParseDuration`, `int(timestamp)`,
 * `int(duration)`, and the accessors with and without a time zone.
 */
import type { Environment } from '@marcbachmann/cel-js'
import type { Duration } from '@marcbachmann/cel-js/evaluator'
import { parseGoDuration } from '../../go/duration.js'
import { parseGoRfc3339 } from '../../go/rfc3339-nano.js'
import { INTERNAL_PREFIX } from '../rename.js'
import type { CalendarFields } from './time-zone.js'
import { calendarFields } from './time-zone.js'
import {
  CelTimeError,
  TIMESTAMP_OVERFLOW,
  durationNanos,
  durationOf,
  goTimeOf,
  MAX_UNIX_SECONDS,
  MIN_UNIX_SECONDS,
  timestampOf,
} from './time-values.js'

const TS = 'google.protobuf.Timestamp'
const DUR = 'google.protobuf.Duration'
const NS_PER_SECOND = 1_000_000_000n

function conversionError(from: string, to: string): CelTimeError {
  return new CelTimeError(`type conversion error from '${from}' to '${to}'`)
}

/** cel-go `timestamp(string)`: `time.Parse(time.RFC3339, s)`, then the range check. */
export function timestampFromString(s: string): Date {
  const t = parseGoRfc3339(s)
  if (t === undefined) throw conversionError('string', TS)
  return timestampOf(t)
}

function timestampFromInt(seconds: bigint): Date {
  if (seconds < MIN_UNIX_SECONDS || seconds > MAX_UNIX_SECONDS) {
    throw new CelTimeError(TIMESTAMP_OVERFLOW)
  }
  return timestampOf({ seconds, nanos: 0, offsetSeconds: 0 })
}

/** cel-go `duration(string)`: Go's `time.ParseDuration`. */
export function durationFromString(s: string): Duration {
  let ns: bigint
  try {
    ns = parseGoDuration(s)
  } catch {
    throw conversionError('string', DUR)
  }
  return durationOf(ns)
}

type Accessor = (f: CalendarFields) => number

const TIMESTAMP_ACCESSORS: ReadonlyArray<[string, Accessor]> = [
  ['getFullYear', (f) => f.year],
  ['getMonth', (f) => f.month - 1],
  ['getDayOfYear', (f) => f.dayOfYear],
  ['getDayOfMonth', (f) => f.day - 1],
  ['getDate', (f) => f.day],
  ['getDayOfWeek', (f) => f.weekday],
  ['getHours', (f) => f.hours],
  ['getMinutes', (f) => f.minutes],
  ['getSeconds', (f) => f.seconds],
  ['getMilliseconds', (f) => Math.floor(f.nanos / 1_000_000)],
]

// Go's Duration.Hours/Minutes/Seconds are float64 (whole units plus the fraction);
// cel-go converts them to int64, truncating. The same float steps give the same results.
function durationIn(unit: bigint): (d: Duration) => bigint {
  return (d) => {
    const ns = durationNanos(d)
    const whole = ns / unit
    const fraction = Number(ns - whole * unit) / Number(unit)
    return BigInt(Math.trunc(Number(whole) + fraction))
  }
}

const DURATION_ACCESSORS: ReadonlyArray<[string, (d: Duration) => bigint]> = [
  ['getHours', durationIn(3_600n * NS_PER_SECOND)],
  ['getMinutes', durationIn(60n * NS_PER_SECOND)],
  ['getSeconds', durationIn(NS_PER_SECOND)],
  ['getMilliseconds', (d) => durationNanos(d) / 1_000_000n],
]

/** Accessor method names, renamed so these implementations replace cel-js's. */
export const TIME_ACCESSORS: readonly string[] = TIMESTAMP_ACCESSORS.map(([name]) => name)

export function registerTime(env: Environment): void {
  const p = INTERNAL_PREFIX
  env
    .registerFunction(`${p}timestamp(string): ${TS}`, timestampFromString)
    .registerFunction(`${p}timestamp(int): ${TS}`, timestampFromInt)
    .registerFunction(`${p}timestamp(${TS}): ${TS}`, (t: Date) => t)
    .registerFunction(`${p}duration(string): ${DUR}`, durationFromString)
    .registerFunction(`${p}duration(${DUR}): ${DUR}`, (d: Duration) => d)
    // Declared in cel-go, but an int never converts to a duration at run time.
    .registerFunction(`${p}duration(int): ${DUR}`, () => {
      throw conversionError('int', DUR)
    })
  for (const [name, read] of TIMESTAMP_ACCESSORS) {
    env
      .registerFunction(`${TS}.${p}${name}(): int`, (t: Date) =>
        BigInt(read(calendarFields(goTimeOf(t)))),
      )
      .registerFunction(`${TS}.${p}${name}(string): int`, (t: Date, zone: string) =>
        BigInt(read(calendarFields(goTimeOf(t), zone))),
      )
  }
  for (const [name, read] of DURATION_ACCESSORS) {
    env.registerFunction(`${DUR}.${p}${name}(): int`, read)
  }
}

/** `int(timestamp)` (Unix seconds) and `int(duration)` (nanoseconds), for the conversions library. */
export function timestampToInt(t: Date): bigint {
  return goTimeOf(t).seconds
}

export function durationToInt(d: Duration): bigint {
  return durationNanos(d)
}

/**
 * cel-go's `ValidateDurationLiterals` / `ValidateTimestampLiterals`: whether a literal
 * argument of `duration(...)` or `timestamp(...)` converts. Other literal kinds are left
 * to the type checker.
 */
export function timeLiteralConverts(name: 'duration' | 'timestamp', literal: unknown): boolean {
  if (typeof literal !== 'string' && typeof literal !== 'bigint') return true
  try {
    if (name === 'timestamp') {
      if (typeof literal === 'string') timestampFromString(literal)
      else timestampFromInt(literal)
    } else if (typeof literal === 'string') durationFromString(literal)
    else return false
    return true
  } catch {
    return false
  }
}
