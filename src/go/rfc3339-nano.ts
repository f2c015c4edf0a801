/**
 * Go's `time.Parse(time.RFC3339, s)` and `t.Format(time.RFC3339Nano)` at nanosecond
 * precision, keeping the parsed zone offset as Go's fixed zone does. Go tries a strict
 * fast path first and falls back to its general layout parser, so what it accepts is
 * the union: a `.` or `,` before the fraction, any number of fraction digits (past
 * nine ignored), and offsets up to `24:60` (the general parser's bounds).
 */

/** A point in time as Go holds it: seconds since the epoch, nanoseconds, and the zone offset. */
export interface GoTime {
  /** Whole seconds since 1970-01-01T00:00:00Z (floor). */
  readonly seconds: bigint
  /** 0 to 999,999,999. */
  readonly nanos: number
  /** Seconds east of UTC of the zone the time is shown in (0 is `Z`). */
  readonly offsetSeconds: number
}

const LAYOUT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
}

function daysIn(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS[month - 1] ?? 0)
}

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian, any year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The civil date of a day count from 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return { year, month, day }
}

/** Parses as Go's `time.Parse(time.RFC3339, text)` does; `undefined` where Go returns an error. */
export function parseGoRfc3339(text: string): GoTime | undefined {
  const m = LAYOUT.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  let offsetSeconds = 0
  if (m[8] === undefined) {
    const offsetHours = Number(m[10])
    const offsetMinutes = Number(m[11])
    if (offsetHours > 24 || offsetMinutes > 60) return undefined
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60)
  }
  const nanos = m[7] === undefined ? 0 : Number(m[7].slice(0, 9).padEnd(9, '0'))
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
  return { seconds: BigInt(local - offsetSeconds), nanos, offsetSeconds }
}

function pad(n: number, width: number): string {
  return String(Math.abs(n)).padStart(width, '0')
}

/** Formats as Go's `t.Format(time.RFC3339Nano)`: fraction without trailing zeros, `Z` for a zero offset. */
export function formatGoRfc3339Nano(t: GoTime): string {
  const local = Number(t.seconds) + t.offsetSeconds
  const days = Math.floor(local / 86400)
  const rest = local - days * 86400
  const { year, month, day } = civilFromDays(days)
  const clock = `${pad(Math.floor(rest / 3600), 2)}:${pad(Math.floor((rest % 3600) / 60), 2)}:${pad(rest % 60, 2)}`
  const fraction = t.nanos === 0 ? '' : `.${pad(t.nanos, 9).replace(/0+$/, '')}`
  let zone = 'Z'
  if (t.offsetSeconds !== 0) {
    const minutes = Math.trunc(Math.abs(t.offsetSeconds) / 60)
    zone = `${t.offsetSeconds < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${clock}${fraction}${zone}`
}
