/**
 * The calendar fields of a timestamp in a time zone, as cel-go's timestamp accessors
 * read them (common/stdlib/standard.go `inTimeZone`): an argument without `:` is a
 * zone name for Go's `time.LoadLocation` (`""` and `UTC` are UTC, `Local` the
 * process's zone), one with `:` is `hours:minutes` read with `strconv.Atoi` (no range
 * check, as in Go). Errors carry Go's wording.
 */
import type { GoTime } from '../../go/rfc3339-nano.js'
import { civilFromDays, daysFromCivil } from '../../go/rfc3339-nano.js'
import { CelTimeError } from './time-values.js'

export interface CalendarFields {
  readonly year: number
  /** 1 to 12. */
  readonly month: number
  /** 1 to 31. */
  readonly day: number
  /** 0 (January 1st) to 365. */
  readonly dayOfYear: number
  /** 0 (Sunday) to 6. */
  readonly weekday: number
  readonly hours: number
  readonly minutes: number
  readonly seconds: number
  readonly nanos: number
}

const MAX_INT64 = (1n << 63n) - 1n

function goQuote(s: string): string {
  return JSON.stringify(s)
}

/** Go's `strconv.Atoi`, with its error text. */
function atoi(s: string): number {
  const syntax = (): CelTimeError =>
    new CelTimeError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`)
  const m = /^([+-]?)(\d+)$/.exec(s)
  if (m === null) throw syntax()
  const magnitude = BigInt(m[2] ?? '0')
  const limit = m[1] === '-' ? MAX_INT64 + 1n : MAX_INT64
  if (magnitude > limit) {
    throw new CelTimeError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`)
  }
  return Number(m[1] === '-' ? -magnitude : magnitude)
}

let supportedZones: ReadonlySet<string> | undefined
let supportedZonesLower: ReadonlySet<string> | undefined

function zoneNameKnown(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
  } catch {
    return false
  }
  supportedZones ??= new Set(Intl.supportedValuesOf('timeZone'))
  supportedZonesLower ??= new Set([...supportedZones].map((z) => z.toLowerCase()))
  // Go reads zone files by exact name; Intl matches names without regard to case.
  return supportedZones.has(name) || !supportedZonesLower.has(name.toLowerCase())
}

function fieldsAt(localSeconds: number, nanos: number): CalendarFields {
  const days = Math.floor(localSeconds / 86400)
  const rest = localSeconds - days * 86400
  const { year, month, day } = civilFromDays(days)
  return {
    year,
    month,
    day,
    dayOfYear: days - daysFromCivil(year, 1, 1),
    weekday: (((days + 4) % 7) + 7) % 7,
    hours: Math.floor(rest / 3600),
    minutes: Math.floor((rest % 3600) / 60),
    seconds: rest % 60,
    nanos,
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const MAX_FORMATTERS = 64

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    if (formatters.size >= MAX_FORMATTERS) formatters.clear()
    formatters.set(zone, f)
  }
  return f
}

function fieldsInNamedZone(t: GoTime, zone: string): CalendarFields {
  const parts = zoneFormatter(zone).formatToParts(new Date(Number(t.seconds) * 1000))
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value)
  const era = parts.find((p) => p.type === 'era')?.value
  const year = era === 'BC' ? 1 - part('year') : part('year')
  const local =
    daysFromCivil(year, part('month'), part('day')) * 86400 +
    part('hour') * 3600 +
    part('minute') * 60 +
    part('second')
  return fieldsAt(local, t.nanos)
}

/** Calendar fields of `t` in UTC, or in the zone `zone` names; throws Go's error for a bad zone. */
export function calendarFields(t: GoTime, zone?: string): CalendarFields {
  if (zone === undefined || zone === '' || zone === 'UTC')
    return fieldsAt(Number(t.seconds), t.nanos)
  const colon = zone.indexOf(':')
  if (colon === -1) {
    if (zone === 'Local') {
      return fieldsInNamedZone(t, Intl.DateTimeFormat().resolvedOptions().timeZone)
    }
    if (zone.includes('..') || zone.startsWith('/') || zone.startsWith('\\')) {
      throw new CelTimeError('time: invalid location name')
    }
    if (!zoneNameKnown(zone)) throw new CelTimeError(`unknown time zone ${zone}`)
    return fieldsInNamedZone(t, zone)
  }
  const hours = atoi(zone.slice(0, colon))
  const minutes = atoi(zone.slice(colon + 1))
  const offsetMinutes = zone.startsWith('-') ? hours * 60 - minutes : hours * 60 + minutes
  return fieldsAt(Number(t.seconds) + offsetMinutes * 60, t.nanos)
}
