/**
 * Timestamp and duration conversions, accessors and arithmetic as cel-go v0.27.0
 * (Kubernetes 1.37) computes them on Go's `time.Time` and `time.Duration`:
 *
 * - `string(timestamp)` is `t.Format(time.RFC3339Nano)` (common/types/timestamp.go):
 *   trailing fractional zeros trimmed, nanoseconds kept, the parsed zone offset kept.
 * - `string(duration)` is `strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"`
 *   (duration.go), so `duration('1h2m3.5s')` prints `3723.5s`.
 * - `timestamp(string)` is `time.Parse(time.RFC3339, s)` (Go's strict fast path, then
 *   its general layout parser), then the 0001..9999 range check (`timestamp overflow`).
 * - `duration(string)` is `time.ParseDuration`.
 * - Accessors read UTC, or the zone argument through `time.LoadLocation` or an
 *   `hh:mm` offset read with `strconv.Atoi` (common/stdlib/standard.go `inTimeZone`).
 * - Arithmetic is checked (overflow.go): `timestamp overflow` outside the range,
 *   `integer overflow` past int64 nanoseconds.
 * - Literal arguments are checked when the expression compiles (cel-go's
 *   `ValidateTimestampLiterals`, `ValidateDurationLiterals`, enabled by Kubernetes).
 */
import { describe, expect, it } from '@jest/globals'
import { run } from './cel-library-run.js'

interface Row {
  expr: string
  claims?: Record<string, unknown>
  value?: unknown
  error?: string
  compileError?: string
}

function check(row: Row): void {
  const outcome = run(row.expr, row.claims ?? {})
  if (row.compileError !== undefined) expect(outcome).toEqual({ compileError: row.compileError })
  else if (row.error !== undefined) expect(outcome).toEqual({ error: row.error })
  else expect(outcome).toEqual({ value: row.value })
}

const TS_ERROR = "type conversion error from 'string' to 'google.protobuf.Timestamp'"
const DUR_ERROR = "type conversion error from 'string' to 'google.protobuf.Duration'"

/** `string(timestamp(claims.t))` for each input string. */
function timestampRows(rows: Array<[string, string]>): Array<[string, Row]> {
  return rows.map(([input, want]) => [
    input,
    want.startsWith('!')
      ? { expr: 'string(timestamp(claims.t))', claims: { t: input }, error: want.slice(1) }
      : { expr: 'string(timestamp(claims.t))', claims: { t: input }, value: want },
  ])
}

describe('string(timestamp(s)): RFC 3339 parsing and RFC3339Nano formatting', () => {
  it.each(
    timestampRows([
      ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05Z'],
      ['2024-01-02T03:04:05.5Z', '2024-01-02T03:04:05.5Z'],
      ['2024-01-02T03:04:05.500Z', '2024-01-02T03:04:05.5Z'],
      ['2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05Z'],
      ['2024-01-02T03:04:05.120Z', '2024-01-02T03:04:05.12Z'],
      ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123456789Z'],
      ['2024-01-02T03:04:05.000000001Z', '2024-01-02T03:04:05.000000001Z'],
      // Go reads past nine fraction digits and ignores them.
      ['2024-01-02T03:04:05.1234567891Z', '2024-01-02T03:04:05.123456789Z'],
      // The general parser takes a comma before the fraction.
      ['2024-01-02T03:04:05,25Z', '2024-01-02T03:04:05.25Z'],
      // A non-zero offset is kept as Go's fixed zone; a zero one prints as Z.
      ['2024-01-02T03:04:05+05:30', '2024-01-02T03:04:05+05:30'],
      ['2024-01-02T03:04:05.5-08:00', '2024-01-02T03:04:05.5-08:00'],
      ['2024-01-02T03:04:05+00:00', '2024-01-02T03:04:05Z'],
      ['2024-01-02T03:04:05-00:00', '2024-01-02T03:04:05Z'],
      ['2024-01-02T03:04:05+24:00', '2024-01-02T03:04:05+24:00'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z'],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
      ['9999-12-31T23:59:59.999999999Z', '9999-12-31T23:59:59.999999999Z'],
      ['2024-01-02t03:04:05Z', `!${TS_ERROR}`],
      ['2024-01-02T03:04:05z', `!${TS_ERROR}`],
      ['2024-01-02 03:04:05Z', `!${TS_ERROR}`],
      ['2024-01-02T03:04:05', `!${TS_ERROR}`],
      ['2024-01-02T03:04Z', `!${TS_ERROR}`],
      ['2024-1-02T03:04:05Z', `!${TS_ERROR}`],
      ['2023-02-29T00:00:00Z', `!${TS_ERROR}`],
      ['2024-01-02T24:00:00Z', `!${TS_ERROR}`],
      ['2024-01-02T03:60:00Z', `!${TS_ERROR}`],
      ['2024-01-02T03:04:60Z', `!${TS_ERROR}`],
      ['2024-01-02T03:04:05.Z', `!${TS_ERROR}`],
      ['2024-01-02T03:04:05+25:00', `!${TS_ERROR}`],
      ['2024-01-02T03:04:05+0530', `!${TS_ERROR}`],
      ['2024-01-02T03:04:05Z ', `!${TS_ERROR}`],
      ['', `!${TS_ERROR}`],
      ['0000-12-31T23:59:59Z', '!timestamp overflow'],
      ['9999-12-31T23:59:59-00:01', '!timestamp overflow'],
    ]),
  )('%j', (_input, row) => check(row))
})

describe('timestamp(int), int(timestamp) and literal validation', () => {
  it.each<[string, Row]>([
    ['epoch seconds', { expr: 'string(timestamp(1700000000))', value: '2023-11-14T22:13:20Z' }],
    [
      'int claim past 9999',
      {
        expr: 'timestamp(int(claims.s))',
        claims: { s: 253402300800 },
        error: 'timestamp overflow',
      },
    ],
    [
      'int(timestamp) is Unix seconds, fraction dropped',
      { expr: "int(timestamp('2024-01-02T03:04:05.9Z'))", value: 1704164645n },
    ],
    [
      'int(timestamp) before 1970 floors',
      { expr: "int(timestamp('1969-12-31T23:59:59.5Z'))", value: -1n },
    ],
    [
      'bad literal',
      {
        expr: "timestamp('2024-01-02') < timestamp(claims.t)",
        compileError: 'ERROR: <input>:1:11: invalid timestamp argument',
      },
    ],
    [
      'literal int out of range',
      {
        expr: 'timestamp(253402300800) < timestamp(claims.t)',
        compileError: 'ERROR: <input>:1:11: invalid timestamp argument',
      },
    ],
  ])('%s', (_name, row) => check(row))
})

/** `string(duration(claims.d))` for each input string. */
function durationRows(rows: Array<[string, string]>): Array<[string, Row]> {
  return rows.map(([input, want]) => [
    input,
    want.startsWith('!')
      ? { expr: 'string(duration(claims.d))', claims: { d: input }, error: want.slice(1) }
      : { expr: 'string(duration(claims.d))', claims: { d: input }, value: want },
  ])
}

describe('string(duration(s)): time.ParseDuration, then float seconds', () => {
  it.each(
    durationRows([
      ['1h2m3.5s', '3723.5s'],
      ['1h', '3600s'],
      ['90m', '5400s'],
      ['-1.5s', '-1.5s'],
      ['-0.5s', '-0.5s'],
      ['+2s', '2s'],
      ['1ns', '0.000000001s'],
      ['1.000000001s', '1.000000001s'],
      ['1us', '0.000001s'],
      ['1µs', '0.000001s'],
      ['1.5ms', '0.0015s'],
      ['0', '0s'],
      ['0s', '0s'],
      ['.5s', '0.5s'],
      ['1.s', '1s'],
      ['2562047h', '9223369200s'],
      ['2562047h47m16.854775807s', '9223372036.854776s'],
      ['', `!${DUR_ERROR}`],
      ['1', `!${DUR_ERROR}`],
      ['1d', `!${DUR_ERROR}`],
      ['1h-1m', `!${DUR_ERROR}`],
      ['.s', `!${DUR_ERROR}`],
      [' 1s', `!${DUR_ERROR}`],
      ['2562048h', `!${DUR_ERROR}`],
      ['9223372036854775808ns', `!${DUR_ERROR}`],
    ]),
  )('%j', (_input, row) => check(row))
})

describe('duration conversions and accessors', () => {
  it.each<[string, Row]>([
    ['int(duration) is nanoseconds', { expr: "int(duration('1.5s'))", value: 1500000000n }],
    [
      'duration(int) is declared but never converts',
      {
        expr: 'duration(int(claims.n))',
        claims: { n: 1 },
        error: "type conversion error from 'int' to 'google.protobuf.Duration'",
      },
    ],
    ['getHours truncates', { expr: "duration('3723.5s').getHours()", value: 1n }],
    ['getMinutes of a negative', { expr: "duration('-3723.5s').getMinutes()", value: -62n }],
    ['getSeconds', { expr: "duration('3723.5s').getSeconds()", value: 3723n }],
    ['getMilliseconds', { expr: "duration('-1.5s').getMilliseconds()", value: -1500n }],
    [
      'bad literal',
      {
        expr: "duration('1x') > duration(claims.d)",
        compileError: 'ERROR: <input>:1:10: invalid duration argument',
      },
    ],
  ])('%s', (_name, row) => check(row))
})

const T = "timestamp('2024-12-31T23:04:05.678Z')"

describe('timestamp accessors, with and without a time zone', () => {
  it.each<[string, Row]>([
    ['getFullYear', { expr: `${T}.getFullYear()`, value: 2024n }],
    ['getMonth is 0-based', { expr: `${T}.getMonth()`, value: 11n }],
    ['getDate is 1-based', { expr: `${T}.getDate()`, value: 31n }],
    ['getDayOfMonth is 0-based', { expr: `${T}.getDayOfMonth()`, value: 30n }],
    ['getDayOfYear is 0-based', { expr: `${T}.getDayOfYear()`, value: 365n }],
    ['getDayOfWeek (Tuesday)', { expr: `${T}.getDayOfWeek()`, value: 2n }],
    ['getHours', { expr: `${T}.getHours()`, value: 23n }],
    ['getMinutes', { expr: `${T}.getMinutes()`, value: 4n }],
    ['getSeconds', { expr: `${T}.getSeconds()`, value: 5n }],
    ['getMilliseconds', { expr: `${T}.getMilliseconds()`, value: 678n }],
    ['offset zone crosses the year', { expr: `${T}.getFullYear('+05:30')`, value: 2025n }],
    ['offset zone, day of year', { expr: `${T}.getDayOfYear('+01:00')`, value: 0n }],
    ['offset zone, hours', { expr: `${T}.getHours('+05:30')`, value: 4n }],
    ['negative offset zone, minutes', { expr: `${T}.getMinutes('-08:15')`, value: 49n }],
    ['IANA zone', { expr: `${T}.getHours('Asia/Tokyo')`, value: 8n }],
    ['IANA zone, weekday', { expr: `${T}.getDayOfWeek('Asia/Tokyo')`, value: 3n }],
    ['IANA zone with daylight saving', { expr: `${T}.getHours('America/New_York')`, value: 18n }],
    ['milliseconds ignore the zone', { expr: `${T}.getMilliseconds('Asia/Kolkata')`, value: 678n }],
    ['UTC by name', { expr: `${T}.getHours('UTC')`, value: 23n }],
    ['empty name is UTC', { expr: `${T}.getHours('')`, value: 23n }],
    [
      'parsed offset does not change the accessors',
      {
        expr: "timestamp('2024-01-02T03:04:05+05:30').getHours()",
        value: 21n,
      },
    ],
    ['unknown zone', { expr: `${T}.getHours('Nope/Zone')`, error: 'unknown time zone Nope/Zone' }],
    [
      'zone names are case-sensitive',
      {
        expr: `${T}.getHours('asia/tokyo')`,
        error: 'unknown time zone asia/tokyo',
      },
    ],
    [
      'path-like zone name',
      { expr: `${T}.getHours('../etc')`, error: 'time: invalid location name' },
    ],
    [
      'offset not a number',
      {
        expr: `${T}.getHours('x:30')`,
        error: 'strconv.Atoi: parsing "x": invalid syntax',
      },
    ],
    [
      'offset minutes not a number',
      {
        expr: `${T}.getHours('+05:3x')`,
        error: 'strconv.Atoi: parsing "3x": invalid syntax',
      },
    ],
  ])('%s', (_name, row) => check(row))
})

describe('timestamp and duration arithmetic', () => {
  it.each<[string, Row]>([
    [
      'timestamp + duration keeps nanoseconds',
      {
        expr: "string(timestamp('2024-01-02T03:04:05.999999999Z') + duration('1ns'))",
        value: '2024-01-02T03:04:06Z',
      },
    ],
    [
      'timestamp + duration keeps the zone',
      {
        expr: "string(timestamp('2024-01-02T23:30:00+05:30') + duration('1h'))",
        value: '2024-01-03T00:30:00+05:30',
      },
    ],
    [
      'duration + timestamp',
      {
        expr: "string(duration('1.5s') + timestamp('2024-01-02T03:04:05Z'))",
        value: '2024-01-02T03:04:06.5Z',
      },
    ],
    [
      'timestamp - duration',
      {
        expr: "string(timestamp('2024-01-01T00:00:00Z') - duration('0.25s'))",
        value: '2023-12-31T23:59:59.75Z',
      },
    ],
    [
      'timestamp - timestamp',
      {
        expr: "string(timestamp('2024-01-02T03:04:05.5Z') - timestamp('2024-01-01T00:00:00Z'))",
        value: '97445.5s',
      },
    ],
    [
      'nanoseconds decide comparisons',
      {
        expr: "timestamp('2024-01-02T03:04:05.0000001Z') > timestamp('2024-01-02T03:04:05Z')",
        value: true,
      },
    ],
    [
      'equal instants in different zones',
      {
        expr: "timestamp('2024-01-02T08:34:05+05:30') == timestamp('2024-01-02T03:04:05Z')",
        value: true,
      },
    ],
    [
      'no unary minus on durations',
      {
        expr: "string(-duration('1.5s'))",
        compileError:
          "ERROR: <input>:1:8: found no matching overload for '-_' applied to '(google.protobuf.Duration)'",
      },
    ],
    [
      'past year 9999',
      {
        expr: "timestamp('9999-12-31T23:59:59Z') + duration('1s')",
        error: 'timestamp overflow',
      },
    ],
    [
      'before year 1',
      {
        expr: "timestamp('0001-01-01T00:00:00Z') - duration('1ns')",
        error: 'timestamp overflow',
      },
    ],
    [
      'duration past int64',
      {
        expr: "duration('2562047h47m16.854775807s') + duration('1ns')",
        error: 'integer overflow',
      },
    ],
    [
      'timestamp difference past int64',
      {
        expr: "timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')",
        error: 'integer overflow',
      },
    ],
  ])('%s', (_name, row) => check(row))
})
